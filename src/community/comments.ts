// Comments under papers: one level of replies, edits kept as history, deletion by the author, hiding
// by moderators with a reason, and members' reports for the moderation queue. Who may do what is
// decided here (mayEdit, mayModerate) and checked by the web layer before it calls the writes.
import type { Kysely, Selectable } from 'kysely';
import type { CommentTable, Database, Schema } from '../storage/db.ts';
import type { HideReason, ReportReason } from '../model/community.ts';
import { hasRole, type Member } from '../accounts/members.ts';
import { MAX_COMMENT } from './markdown.ts';

/** Something the member should be told, and the HTTP status that goes with it. */
export class CommentError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface Comment {
  id: number;
  paperId: number;
  arxivId: string;
  memberId: number;
  author: string;
  parentId: number | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  hidden: { at: string; reason: HideReason } | null;
}

export interface Thread extends Comment {
  replies: Comment[];
}

function selectComments(db: Kysely<Schema>) {
  return db
    .selectFrom('comment')
    .innerJoin('member', 'member.id', 'comment.member_id')
    .innerJoin('paper', 'paper.id', 'comment.paper_id')
    .selectAll('comment')
    .select(['member.name as author', 'paper.arxiv_id']);
}

function toComment(r: Selectable<CommentTable> & { author: string; arxiv_id: string }): Comment {
  return {
    id: Number(r.id),
    paperId: Number(r.paper_id),
    arxivId: r.arxiv_id,
    memberId: Number(r.member_id),
    author: r.author,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    body: r.body,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    hidden: r.hidden_at ? { at: r.hidden_at, reason: r.hidden_reason! } : null,
  };
}

export function mayModerate(member: Pick<Member, 'role'> | null): boolean {
  return hasRole(member, 'moderator');
}

/** Only the author edits or deletes, and not once it is deleted or hidden. */
export function mayEdit(member: Pick<Member, 'id'> | null, comment: Comment): boolean {
  return !!member && member.id === comment.memberId && !comment.deletedAt && !comment.hidden;
}

/** Whether a reader sees the comment's words: hidden ones only by their author and moderators. */
export function showsBody(viewer: Pick<Member, 'id' | 'role'> | null, comment: Comment): boolean {
  if (comment.deletedAt) return false;
  return !comment.hidden || mayModerate(viewer) || viewer?.id === comment.memberId;
}

function checkBody(body: string): string {
  const text = body.replace(/\r\n?/g, '\n').trim();
  if (!text) throw new CommentError('Write something first.');
  if (text.length > MAX_COMMENT)
    throw new CommentError(
      `A comment can have at most ${MAX_COMMENT.toLocaleString('en-US')} characters; this one has ${text.length.toLocaleString('en-US')}.`,
    );
  return text;
}

const touchPaper = (db: Kysely<Schema>, paperId: number, now: Date) =>
  db.updateTable('paper').set({ updated_at: now.toISOString() }).where('id', '=', paperId).execute(); // counts on cards changed

export async function getComment(database: Database, id: number): Promise<Comment | null> {
  const row = await selectComments(database.db).where('comment.id', '=', id).executeTakeFirst();
  return row ? toComment(row) : null;
}

/** A paper's discussion: top-level comments oldest first, each with its replies. */
export async function commentsOn(database: Database, arxivId: string): Promise<Thread[]> {
  const rows = (
    await selectComments(database.db).where('paper.arxiv_id', '=', arxivId).orderBy('comment.created_at').orderBy('comment.id').execute()
  ).map(toComment);
  const threads = new Map<number, Thread>();
  for (const c of rows) if (c.parentId === null) threads.set(c.id, { ...c, replies: [] });
  for (const c of rows) if (c.parentId !== null) threads.get(c.parentId)?.replies.push(c);
  // A deleted comment with no replies left to anchor is simply gone.
  return [...threads.values()].filter((t) => !t.deletedAt || t.replies.length > 0);
}

export async function addComment(
  database: Database,
  c: { paperId: number; memberId: number; parentId: number | null; body: string },
  now: Date,
): Promise<number> {
  const body = checkBody(c.body);
  let parentId = c.parentId;
  if (parentId !== null) {
    const parent = await getComment(database, parentId);
    if (!parent || parent.paperId !== c.paperId) throw new CommentError('The comment you are replying to is not on this paper.');
    if (parent.deletedAt || parent.hidden) throw new CommentError('That comment was removed, so it cannot be replied to.', 409);
    parentId = parent.parentId ?? parent.id; // replies go one level deep: a reply to a reply joins its thread
  }
  return database.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('comment')
      .values({ paper_id: c.paperId, member_id: c.memberId, parent_id: parentId, body, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await touchPaper(tx, c.paperId, now);
    return Number(row.id);
  });
}

/** Replaces the body, keeping the one it had (with when it was written) in the history. */
export async function editComment(database: Database, comment: Comment, body: string, now: Date): Promise<void> {
  const text = checkBody(body);
  if (text === comment.body) return;
  await database.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('comment_revision')
      .values({ comment_id: comment.id, body: comment.body, written_at: comment.editedAt ?? comment.createdAt })
      .execute();
    await tx.updateTable('comment').set({ body: text, edited_at: now.toISOString() }).where('id', '=', comment.id).execute();
  });
}

/** Earlier versions, oldest first. */
export async function revisionsOf(database: Database, commentId: number): Promise<{ body: string; writtenAt: string }[]> {
  const rows = await database.db
    .selectFrom('comment_revision')
    .select(['body', 'written_at'])
    .where('comment_id', '=', commentId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ body: r.body, writtenAt: r.written_at }));
}

export async function deleteComment(database: Database, comment: Comment, now: Date): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    await tx.updateTable('comment').set({ deleted_at: now.toISOString() }).where('id', '=', comment.id).execute();
    await touchPaper(tx, comment.paperId, now);
  });
}

/** Hides a comment with a reason; its open reports are resolved as handled. */
export async function hideComment(database: Database, comment: Comment, moderatorId: number, reason: HideReason, now: Date): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('comment')
      .set({ hidden_at: now.toISOString(), hidden_by: moderatorId, hidden_reason: reason })
      .where('id', '=', comment.id)
      .execute();
    await resolveReports(tx, comment.id, moderatorId, 'hidden', now);
    await touchPaper(tx, comment.paperId, now);
  });
}

export async function unhideComment(database: Database, comment: Comment, now: Date): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    await tx.updateTable('comment').set({ hidden_at: null, hidden_by: null, hidden_reason: null }).where('id', '=', comment.id).execute();
    await touchPaper(tx, comment.paperId, now);
  });
}

function resolveReports(db: Kysely<Schema>, commentId: number, moderatorId: number, outcome: 'hidden' | 'dismissed', now: Date) {
  return db
    .updateTable('comment_report')
    .set({ resolved_at: now.toISOString(), resolved_by: moderatorId, outcome })
    .where('comment_id', '=', commentId)
    .where('resolved_at', 'is', null)
    .execute();
}

export async function dismissReports(database: Database, commentId: number, moderatorId: number, now: Date): Promise<void> {
  await resolveReports(database.db, commentId, moderatorId, 'dismissed', now);
}

/** Files a member's report; false when they had already reported this comment. */
export async function reportComment(
  database: Database,
  comment: Comment,
  memberId: number,
  reason: ReportReason,
  note: string,
  now: Date,
): Promise<boolean> {
  if (comment.memberId === memberId) throw new CommentError('You cannot report your own comment: edit or delete it instead.');
  const row = await database.db
    .insertInto('comment_report')
    .values({ comment_id: comment.id, member_id: memberId, reason, note: note.trim().slice(0, 500) || null, created_at: now.toISOString() })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

export interface QueueItem {
  comment: Comment;
  reports: { reason: ReportReason; note: string | null; reporter: string; at: string }[];
}

/** Comments with open reports, the most reported first, then the oldest report first. */
export async function moderationQueue(database: Database, limit = 100): Promise<QueueItem[]> {
  const reports = await database.db
    .selectFrom('comment_report')
    .innerJoin('member', 'member.id', 'comment_report.member_id')
    .select(['comment_report.comment_id', 'comment_report.reason', 'comment_report.note', 'comment_report.created_at', 'member.name'])
    .where('comment_report.resolved_at', 'is', null)
    .orderBy('comment_report.created_at')
    .limit(limit * 10)
    .execute();
  const byComment = new Map<number, QueueItem['reports']>();
  for (const r of reports) {
    const list = byComment.get(Number(r.comment_id)) ?? [];
    list.push({ reason: r.reason, note: r.note, reporter: r.name, at: r.created_at });
    byComment.set(Number(r.comment_id), list);
  }
  if (byComment.size === 0) return [];
  const comments = (
    await selectComments(database.db)
      .where('comment.id', 'in', [...byComment.keys()])
      .execute()
  ).map(toComment);
  return comments
    .map((comment) => ({ comment, reports: byComment.get(comment.id)! }))
    .sort((a, b) => b.reports.length - a.reports.length || a.reports[0]!.at.localeCompare(b.reports[0]!.at))
    .slice(0, limit);
}

/** Comments moderators hid lately, for a second look. */
export async function recentlyHidden(database: Database, limit = 20): Promise<Comment[]> {
  const rows = await selectComments(database.db)
    .where('comment.hidden_at', 'is not', null)
    .orderBy('comment.hidden_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toComment);
}
