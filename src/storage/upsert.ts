// Writing papers: the one place where incoming records meet what is stored. Each batch is one
// transaction. The merge rules make imports idempotent and independent of the order files come in:
//   - metadata (title, abstract, authors, …) is replaced only by a strictly newer arXiv version; a
//     record of the same or unknown version only fills fields we do not have yet;
//   - the v1 date never changes once known; code/project links and stars take the latest non-empty;
//   - a paper is on one day's list: a day seen on a list beats one computed from the v1 time, and
//     otherwise the earliest day wins, with that source's provenance; the imported upvote count is
//     the highest any source reported, and members' votes are added to it, never overwritten.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { PaperRecord } from '../model/paper.ts';
import type { Database, ListingTable, PaperTable, Schema } from './db.ts';
import { selectPapers } from './papers.ts';

export type Outcome = 'new' | 'updated' | 'unchanged';

type PaperRow = Omit<Insertable<PaperTable>, 'id'>;
type ListingRow = Omit<ListingTable, 'paper_id' | 'upvotes' | 'picked_by'>; // the count members add to, and moderators' picks, are not the importer's
interface State {
  id: number | null; // null until inserted
  paper: PaperRow;
  listing: ListingRow | null;
  stored: { paper: PaperRow; listing: ListingRow | null } | null;
  changed: boolean; // by this batch, for a stored paper
}

const METADATA = [
  'title',
  'abstract',
  'authors',
  'categories',
  'primary_category',
  'comment',
  'journal_ref',
  'doi',
  'report_no',
  'license',
  'arxiv_updated_on',
] as const;

class DryRun extends Error {
  constructor(readonly outcomes: Outcome[]) {
    super('dry run: rolled back');
  }
}

/**
 * Stores a batch of records in one transaction; returns each record's outcome, in order. With
 * `dryRun` the same work is done and then rolled back, so the outcomes say exactly what would change.
 */
export async function upsertPapers(
  database: Database,
  records: PaperRecord[],
  { now = new Date(), dryRun = false }: { now?: Date; dryRun?: boolean } = {},
): Promise<Outcome[]> {
  if (records.length === 0) return [];
  const stamp = now.toISOString();
  const work = database.db.transaction().execute(async (tx) => {
    const states = await storedStates(tx, records);
    const outcomes = records.map((record) => mergeRecord(states, record, stamp));
    await writeStates(tx, states);
    if (dryRun) throw new DryRun(outcomes);
    return outcomes;
  });
  return work.catch((err) => {
    if (err instanceof DryRun) return err.outcomes;
    throw err;
  });
}

/** What is stored of the papers these records name, keyed by arXiv id. */
async function storedStates(tx: Kysely<Schema>, records: PaperRecord[]): Promise<Map<string, State>> {
  const ids = [...new Set(records.map((r) => r.arxivId))];
  const rows = await selectPapers(tx).where('paper.arxiv_id', 'in', ids).execute();
  const states = new Map<string, State>();
  for (const row of rows) {
    const {
      id,
      day,
      day_estimated,
      source,
      submitted_by,
      listed_at,
      upvotes: _,
      imported_upvotes,
      picked_by: ___,
      num_comments: __,
      ...paper
    } = row;
    const listing =
      day === null
        ? null
        : {
            day,
            day_estimated: day_estimated!,
            source: source!,
            submitted_by,
            listed_at: listed_at!,
            imported_upvotes: imported_upvotes!,
          };
    states.set(row.arxiv_id, { id, paper, listing, stored: { paper, listing }, changed: false });
  }
  return states;
}

/** Merges one record into the states (docs/architecture.md's rules) and says what it changed. */
function mergeRecord(states: Map<string, State>, record: PaperRecord, stamp: string): Outcome {
  const state = states.get(record.arxivId);
  const incoming = toRow(record, stamp);
  const incomingListing = record.listing && {
    day: record.listing.day,
    day_estimated: record.listing.estimated ? 1 : 0,
    source: record.listing.source,
    submitted_by: record.listing.submittedBy,
    listed_at: record.listing.listedAt,
    imported_upvotes: record.listing.upvotes,
  };
  if (!state) {
    states.set(record.arxivId, { id: null, paper: incoming, listing: incomingListing, stored: null, changed: false });
    return 'new';
  }
  const paper = mergePaper(state.paper, incoming);
  const listing = mergeListing(state.listing, incomingListing);
  const changed = !samePaper(paper, state.paper) || !sameListing(listing, state.listing);
  if (changed) Object.assign(state, { paper: { ...paper, updated_at: stamp }, listing, changed: true });
  return changed ? 'updated' : 'unchanged';
}

/** Bound values one statement may carry: SQLite allows 32,766, PostgreSQL 65,535. */
const MAX_VALUES = 30_000;

/**
 * Rows in slices whose values fit one statement: an RSS day of 1,500 papers at 23 columns is 34,500
 * values, more than SQLite takes at once.
 */
function inChunks<T extends object>(rows: T[]): T[][] {
  if (rows.length === 0) return [];
  const size = Math.max(1, Math.floor(MAX_VALUES / Object.keys(rows[0]!).length));
  return Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));
}

/** Inserts the new papers and listings, and updates the changed ones. */
async function writeStates(tx: Kysely<Schema>, states: Map<string, State>): Promise<void> {
  const fresh = [...states.values()].filter((s) => s.id === null);
  for (const rows of inChunks(fresh.map((s) => s.paper))) {
    const inserted = await tx.insertInto('paper').values(rows).returning(['id', 'arxiv_id']).execute();
    for (const { id, arxiv_id } of inserted) states.get(arxiv_id)!.id = id;
  }
  const listings = fresh.filter((s) => s.listing).map((s) => ({ paper_id: s.id!, ...s.listing!, upvotes: s.listing!.imported_upvotes }));
  for (const rows of inChunks(listings)) await tx.insertInto('listing').values(rows).execute();
  for (const state of states.values()) {
    if (!state.stored || !state.changed) continue;
    // The paper row is written on any change, a listing-only one included, so that updated_at
    // (which drives Last-Modified) moves.
    const { created_at: _, ...changes } = state.paper;
    await tx.updateTable('paper').set(changes).where('id', '=', state.id!).execute();
    if (state.listing && !sameListing(state.listing, state.stored.listing)) {
      // Only the imported part of the count moves; members' votes stay on top of it.
      const raise = state.listing.imported_upvotes - (state.stored.listing?.imported_upvotes ?? 0);
      await tx
        .insertInto('listing')
        .values({ paper_id: state.id!, ...state.listing, upvotes: state.listing.imported_upvotes })
        .onConflict((oc) => oc.column('paper_id').doUpdateSet({ ...state.listing!, upvotes: sql<number>`listing.upvotes + ${raise}` }))
        .execute();
    }
  }
}

function toRow(r: PaperRecord, stamp: string): PaperRow {
  return {
    arxiv_id: r.arxivId,
    version: r.version ?? 1,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.stringify(r.authors),
    categories: JSON.stringify(r.categories),
    primary_category: r.categories[0] ?? null,
    comment: r.comment,
    journal_ref: r.journalRef,
    doi: r.doi,
    report_no: r.reportNo,
    license: r.license,
    published_at: r.publishedAt,
    arxiv_updated_on: r.arxivUpdatedOn,
    github_repo: r.githubRepo,
    github_stars: r.githubStars,
    project_page: r.projectPage,
    ai_summary: r.aiSummary,
    // Only Hugging Face's daily papers carry summaries; generated ones are written by summarize.ts.
    ai_summary_by: r.aiSummary ? 'Hugging Face' : null,
    ai_keywords: JSON.stringify(r.aiKeywords),
    organization: r.organization,
    created_at: stamp,
    updated_at: stamp,
  };
}

function mergePaper(old: PaperRow, incoming: PaperRow): PaperRow {
  const merged = { ...old };
  const newer = (incoming.version ?? 1) > (old.version ?? 1);
  for (const field of METADATA) {
    const value = incoming[field];
    if (!isEmpty(value) && (newer || isEmpty(old[field]))) (merged as Record<string, unknown>)[field] = value;
  }
  if (newer) merged.version = incoming.version;
  merged.published_at = old.published_at ?? incoming.published_at;
  merged.github_repo = incoming.github_repo ?? old.github_repo;
  merged.github_stars = incoming.github_stars ?? old.github_stars;
  merged.project_page = incoming.project_page ?? old.project_page;
  // A source of picks adds these; arXiv's records, which lack them, never take them away.
  merged.ai_summary = incoming.ai_summary ?? old.ai_summary;
  merged.ai_summary_by = incoming.ai_summary ? incoming.ai_summary_by : old.ai_summary_by;
  merged.ai_keywords = isEmpty(incoming.ai_keywords) ? old.ai_keywords : incoming.ai_keywords;
  merged.organization = incoming.organization ?? old.organization;
  return merged;
}

function mergeListing(old: ListingRow | null, incoming: ListingRow | null): ListingRow | null {
  if (!old || !incoming) return old ?? incoming;
  const wins = incoming.day_estimated !== old.day_estimated ? incoming.day_estimated < old.day_estimated : incoming.day < old.day;
  const first = wins ? incoming : old;
  return { ...first, imported_upvotes: Math.max(old.imported_upvotes, incoming.imported_upvotes) };
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '[]';
}

function samePaper(a: PaperRow, b: PaperRow): boolean {
  return (Object.keys(a) as (keyof PaperRow)[]).every((k) => k === 'updated_at' || k === 'created_at' || a[k] === b[k]);
}

function sameListing(a: ListingRow | null, b: ListingRow | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.day === b.day &&
    a.day_estimated === b.day_estimated &&
    a.source === b.source &&
    a.submitted_by === b.submitted_by &&
    a.listed_at === b.listed_at &&
    a.imported_upvotes === b.imported_upvotes
  );
}

/**
 * After a bulk import on PostgreSQL: planner statistics and the visibility map for the search
 * indexes kept by triggers, paper_term (migration 0011) and paper_category (0012), whose index-only
 * scans make ranking and filtering fast. A server's autovacuum would get there within minutes;
 * PGlite has no autovacuum at all.
 */
export async function tidySearchIndexes(database: Database): Promise<void> {
  if (database.dialect === 'postgres') await sql`VACUUM (ANALYZE) paper_term, paper_category`.execute(database.db);
}
