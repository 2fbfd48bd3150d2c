// Reading lists: a member's named collections of papers, public or private, each at a URL fixed when
// it is made (/u/NAME/lists/SLUG). Also the two other lists a profile shows: what a member upvoted
// and what they submitted.
import type { Selectable } from 'kysely';
import type { Database, ReadingListTable } from '../storage/db.ts';
import { selectPapers, toPaper } from '../storage/papers.ts';
import type { Paper } from '../model/paper.ts';

export interface ReadingList {
  id: number;
  memberId: number;
  owner: string;
  slug: string;
  name: string;
  description: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
  count: number;
}

export class ListError extends Error {}

const MAX_LISTS = 100;
const MAX_PAPERS = 2_000;

export interface ListFields {
  name: string;
  description: string;
  public: boolean;
}

/** The fields as given, checked; or a message saying what to fix. */
export function checkListFields(raw: { name?: string; description?: string; public?: string }): ListFields | string {
  const name = (raw.name ?? '').replace(/\s+/g, ' ').trim();
  const description = (raw.description ?? '').trim();
  if (!name) return 'Give the list a name.';
  if (name.length > 100) return 'A list name can have at most 100 characters.';
  if (description.length > 500) return 'A description can have at most 500 characters.';
  return { name, description, public: raw.public === '1' || raw.public === 'on' };
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'list';
}

function selectLists(database: Database) {
  return database.db
    .selectFrom('reading_list')
    .innerJoin('member', 'member.id', 'reading_list.member_id')
    .selectAll('reading_list')
    .select('member.name as owner')
    .select((eb) =>
      eb
        .selectFrom('reading_list_paper')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('reading_list_paper.list_id', '=', 'reading_list.id')
        .as('count'),
    );
}

function toList(r: Selectable<ReadingListTable> & { owner: string; count: number | null }): ReadingList {
  return {
    id: Number(r.id),
    memberId: Number(r.member_id),
    owner: r.owner,
    slug: r.slug,
    name: r.name,
    description: r.description,
    public: r.public === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    count: Number(r.count ?? 0),
  };
}

/** A member's lists, newest change first; others' private lists are left out unless `includePrivate`. */
export async function listsOf(database: Database, memberId: number, includePrivate: boolean): Promise<ReadingList[]> {
  let q = selectLists(database).where('reading_list.member_id', '=', memberId);
  if (!includePrivate) q = q.where('reading_list.public', '=', 1);
  return (await q.orderBy('reading_list.updated_at', 'desc').execute()).map(toList);
}

export async function getList(database: Database, owner: string, slug: string): Promise<ReadingList | null> {
  const row = await selectLists(database)
    .where('member.name', '=', owner.toLowerCase())
    .where('reading_list.slug', '=', slug)
    .executeTakeFirst();
  return row ? toList(row) : null;
}

export async function createList(
  database: Database,
  memberId: number,
  fields: ListFields,
  now: Date,
): Promise<{ id: number; slug: string }> {
  const existing = await database.db.selectFrom('reading_list').select('slug').where('member_id', '=', memberId).execute();
  if (existing.length >= MAX_LISTS) throw new ListError(`A member can keep at most ${MAX_LISTS} lists. Delete one first.`);
  const taken = new Set(existing.map((l) => l.slug));
  const base = slugify(fields.name);
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  const row = await database.db
    .insertInto('reading_list')
    .values({
      member_id: memberId,
      slug,
      name: fields.name,
      description: fields.description,
      public: fields.public ? 1 : 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), slug };
}

export async function updateList(database: Database, listId: number, fields: ListFields, now: Date): Promise<void> {
  await database.db
    .updateTable('reading_list')
    .set({ name: fields.name, description: fields.description, public: fields.public ? 1 : 0, updated_at: now.toISOString() })
    .where('id', '=', listId)
    .execute();
}

export async function deleteList(database: Database, listId: number): Promise<void> {
  await database.db.deleteFrom('reading_list').where('id', '=', listId).execute();
}

export async function addToList(database: Database, list: ReadingList, paperId: number, now: Date): Promise<void> {
  if (list.count >= MAX_PAPERS) throw new ListError(`A list can hold at most ${MAX_PAPERS.toLocaleString('en-US')} papers.`);
  await database.db.transaction().execute(async (tx) => {
    const added = await tx
      .insertInto('reading_list_paper')
      .values({ list_id: list.id, paper_id: paperId, added_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .returning('paper_id')
      .executeTakeFirst();
    if (added) await tx.updateTable('reading_list').set({ updated_at: now.toISOString() }).where('id', '=', list.id).execute();
  });
}

export async function removeFromList(database: Database, list: ReadingList, paperId: number, now: Date): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    const removed = await tx
      .deleteFrom('reading_list_paper')
      .where('list_id', '=', list.id)
      .where('paper_id', '=', paperId)
      .returning('paper_id')
      .executeTakeFirst();
    if (removed) await tx.updateTable('reading_list').set({ updated_at: now.toISOString() }).where('id', '=', list.id).execute();
  });
}

/** A list's papers, the most recently added first. */
export async function papersInList(database: Database, listId: number, limit = MAX_PAPERS): Promise<Paper[]> {
  const rows = await selectPapers(database.db)
    .innerJoin('reading_list_paper', 'reading_list_paper.paper_id', 'paper.id')
    .where('reading_list_paper.list_id', '=', listId)
    .orderBy('reading_list_paper.added_at', 'desc')
    .orderBy('paper.arxiv_id')
    .limit(limit)
    .execute();
  return rows.map(toPaper);
}

/** Which of a member's lists hold a paper. */
export async function listsHolding(database: Database, memberId: number, paperId: number): Promise<Set<number>> {
  const rows = await database.db
    .selectFrom('reading_list_paper')
    .innerJoin('reading_list', 'reading_list.id', 'reading_list_paper.list_id')
    .select('reading_list.id')
    .where('reading_list.member_id', '=', memberId)
    .where('reading_list_paper.paper_id', '=', paperId)
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** Papers a member upvoted, the latest vote first. */
export async function upvotedBy(database: Database, memberId: number, limit: number): Promise<Paper[]> {
  const rows = await selectPapers(database.db)
    .innerJoin('upvote', 'upvote.paper_id', 'paper.id')
    .where('upvote.member_id', '=', memberId)
    .orderBy('upvote.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toPaper);
}

/** Papers a member put on a list, the latest first. */
export async function submittedBy(database: Database, name: string, limit: number): Promise<Paper[]> {
  const rows = await selectPapers(database.db)
    .where('listing.source', '=', 'member')
    .where('listing.submitted_by', '=', name)
    .orderBy('listing.listed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toPaper);
}
