// The database as the code sees it: the tables' row types, the handle every query takes, and the
// parsers that make PostgreSQL's drivers hand back what SQLite's does (dates as 'YYYY-MM-DD', times
// as ISO 8601 strings, JSON columns as text, bigints as numbers). open.ts opens one.
import type { Generated, Kysely } from 'kysely';
import type { HideReason, LinkPurpose, ReportReason, Role } from '../model/community.ts';

export interface PaperTable {
  id: Generated<number>;
  arxiv_id: string;
  version: number;
  title: string;
  abstract: string;
  authors: string; // JSON array of names
  categories: string; // JSON array, primary first
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  report_no: string | null;
  license: string | null;
  published_at: string | null;
  arxiv_updated_on: string | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  ai_summary: string | null; // a source's AI-written summary (migration 0014)
  ai_summary_by: string | null; // who wrote it: Hugging Face, or a SUMMARY_MODEL (migration 0018)
  ai_keywords: string; // JSON array
  organization: string | null;
  created_at: string;
  updated_at: string;
}

export interface ListingTable {
  paper_id: number;
  day: string;
  source: string;
  submitted_by: string | null;
  listed_at: string;
  upvotes: number; // imported_upvotes + members' upvotes: what lists rank by
  imported_upvotes: number; // the highest count a source reported
  day_estimated: number; // 0 or 1
  picked_by: Generated<number | null>; // a moderator's pick (migration 0015)
}

export interface UpvoteTable {
  member_id: number;
  paper_id: number;
  created_at: string;
}

export interface IngestStateTable {
  source: string;
  cursor: string | null;
  resume: string | null;
  last_run_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_summary: string | null;
}

export interface SubscriberTable {
  id: Generated<number>;
  email: string;
  status: 'pending' | 'confirmed' | 'unsubscribed' | 'bounced';
  frequency: 'daily' | 'weekly';
  top_n: number;
  topics: string; // JSON array
  for_you: Generated<number>; // 1: the digest leads with the member's own ranking (migration 0016)
  created_at: string;
  confirmed_at: string | null;
  changed_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  subscriber_id: number;
  kind: 'confirm' | 'digest';
  period: string;
  recipient: string;
  subject: string;
  html: string;
  text_body: string;
  headers: string; // JSON
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface EmbeddingModelTable {
  id: Generated<number>;
  provider: string;
  name: string;
  dimensions: number;
  state: 'building' | 'active' | 'retired';
  trained_on: number | null;
  data: Uint8Array | null;
  created_at: string;
  activated_at: string | null;
}

export interface PaperEmbeddingTable {
  model_id: number;
  paper_id: number;
  vector: Uint8Array | number[] | null; // float32 bytes on SQLite, real[] on PostgreSQL
}

export interface MemberTable {
  id: Generated<number>;
  name: string;
  email: string;
  password_hash: string | null;
  role: Role;
  email_verified_at: string | null;
  created_at: string;
  categories: Generated<string>; // comma-separated, '' for every category (migration 0013)
  topics: Generated<string>; // one a line, For you's cold start (migration 0016)
}

export interface NotInterestedTable {
  member_id: number;
  paper_id: number;
  created_at: string;
}

export interface AccountMailTable {
  id: Generated<number>;
  recipient: string;
  kind: string;
  subject: string;
  status: 'sent' | 'failed' | 'throttled';
  error: string | null;
  created_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  member_id: number;
  name: string;
  token_hash: string;
  hint: string;
  created_at: string;
  last_used_at: string | null;
}

export interface MemberTasteTable {
  member_id: number;
  model_id: number;
  weights: Uint8Array;
  trained_at: string;
}

export interface MemberSessionTable {
  token_hash: string;
  member_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
}

export interface MemberLinkTable {
  token_hash: string;
  member_id: number;
  purpose: LinkPurpose;
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface CommentTable {
  id: Generated<number>;
  paper_id: number;
  member_id: number;
  parent_id: number | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  hidden_by: number | null;
  hidden_reason: HideReason | null;
}

export interface CommentRevisionTable {
  id: Generated<number>;
  comment_id: number;
  body: string;
  written_at: string;
}

export interface CommentReportTable {
  id: Generated<number>;
  comment_id: number;
  member_id: number;
  reason: ReportReason;
  note: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: number | null;
  outcome: 'hidden' | 'dismissed' | null;
}

export interface ReadingListTable {
  id: Generated<number>;
  member_id: number;
  slug: string;
  name: string;
  description: string;
  public: number; // 0 or 1
  created_at: string;
  updated_at: string;
}

export interface ReadingListPaperTable {
  list_id: number;
  paper_id: number;
  added_at: string;
}

export interface Schema {
  paper: PaperTable;
  listing: ListingTable;
  ingest_state: IngestStateTable;
  subscriber: SubscriberTable;
  outbox: OutboxTable;
  setting: { key: string; value: string };
  embedding_model: EmbeddingModelTable;
  paper_embedding: PaperEmbeddingTable;
  paper_category: { category: string; paper_id: number }; // a paper's categories and their archives (migration 0012)
  member: MemberTable;
  member_session: MemberSessionTable;
  member_link: MemberLinkTable;
  upvote: UpvoteTable;
  comment: CommentTable;
  comment_revision: CommentRevisionTable;
  comment_report: CommentReportTable;
  reading_list: ReadingListTable;
  reading_list_paper: ReadingListPaperTable;
  not_interested: NotInterestedTable;
  member_taste: MemberTasteTable;
  api_token: ApiTokenTable;
  account_mail: AccountMailTable;
  change_clock: { id: number; generation: number }; // migration 0020
  lease: { name: string; holder: string; expires_at: number }; // migration 0021, times in ms
  rate_count: { key: string; window_start: number; count: number; expires_at: number };
  throttle_event: { kind: string; key: string; at: number };
}

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  /** The SQLite database's file, for files kept beside it (the vector graph); none in memory or on PostgreSQL. */
  file?: string;
  /**
   * The change clock read without the query builder (SQLite: one prepared statement, called for
   * every batch of strangers' requests); storage/changes.ts uses it where there is one.
   */
  readClock?: () => number;
  /** PostgreSQL's connection pool: connections open, idle, and queries waiting for one. */
  pool?: () => { total: number; idle: number; waiting: number };
  /** Runs a multi-statement SQL script (a migration) as one transaction: all of it or none. */
  runScript(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Type parsers shared by the pg and PGlite drivers: OID → parser from PostgreSQL's text form. */
export const postgresParsers: Record<number, (text: string) => unknown> = {
  20: Number, // int8 (ids, counts): our values fit in a double
  1082: (text) => text, // date: keep 'YYYY-MM-DD', never a local-midnight Date
  1184: (text) => new Date(text).toISOString(), // timestamptz
  // JSON comes back as compact text, as SQLite stores it, for the repository to parse on both dialects
  // (jsonb would otherwise add spaces, and a re-import would see every record as changed).
  114: (text) => JSON.stringify(JSON.parse(text)),
  3802: (text) => JSON.stringify(JSON.parse(text)),
};
