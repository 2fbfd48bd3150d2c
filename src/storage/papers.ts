// Reading papers and day lists. Every page and API call goes through these few queries.
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database, Schema } from './db.ts';
import type { ListSort, Paper } from '../model/paper.ts';

export interface ListQuery {
  from: string; // first day, inclusive
  to: string; // last day, inclusive
  submitter?: string;
  categories?: string[]; // papers in any of these categories or archives (cs.CL, cs)
  picksOnly?: boolean; // only the community's picks (isPick)
  sort?: ListSort;
  limit: number;
  offset: number;
}

// Named rather than `paper.*`: PostgreSQL's paper table also has the generated search vector.
const PAPER_COLUMNS = [
  'paper.id',
  'paper.arxiv_id',
  'paper.version',
  'paper.title',
  'paper.abstract',
  'paper.authors',
  'paper.categories',
  'paper.primary_category',
  'paper.comment',
  'paper.journal_ref',
  'paper.doi',
  'paper.report_no',
  'paper.license',
  'paper.published_at',
  'paper.arxiv_updated_on',
  'paper.github_repo',
  'paper.github_stars',
  'paper.project_page',
  'paper.ai_summary',
  'paper.ai_summary_by',
  'paper.ai_keywords',
  'paper.organization',
  'paper.created_at',
  'paper.updated_at',
] as const;

/** Papers with their listing, if any. Takes a transaction too. */
export function selectPapers(db: Kysely<Schema>) {
  return db
    .selectFrom('paper')
    .leftJoin('listing', 'listing.paper_id', 'paper.id')
    .select(PAPER_COLUMNS)
    .select([
      'listing.day',
      'listing.day_estimated',
      'listing.source',
      'listing.submitted_by',
      'listing.listed_at',
      'listing.upvotes',
      'listing.imported_upvotes',
      'listing.picked_by',
    ])
    .select((eb) =>
      eb
        .selectFrom('comment')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('comment.paper_id', '=', 'paper.id')
        .where('comment.deleted_at', 'is', null)
        .where('comment.hidden_at', 'is', null)
        .as('num_comments'),
    );
}

export type PaperWithListingRow = Awaited<ReturnType<ReturnType<typeof selectPapers>['execute']>>[number];

export function toPaper(r: PaperWithListingRow): Paper {
  return {
    id: Number(r.id),
    arxivId: r.arxiv_id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    categories: JSON.parse(r.categories) as string[],
    primaryCategory: r.primary_category,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    reportNo: r.report_no,
    license: r.license,
    publishedAt: r.published_at,
    arxivUpdatedOn: r.arxiv_updated_on,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    aiSummary: r.ai_summary,
    aiSummaryBy: r.ai_summary_by,
    aiKeywords: JSON.parse(r.ai_keywords) as string[],
    organization: r.organization,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    numComments: Number(r.num_comments ?? 0),
    listing:
      r.day === null
        ? null
        : {
            day: r.day,
            dayEstimated: r.day_estimated === 1,
            source: r.source!,
            submittedBy: r.submitted_by,
            listedAt: r.listed_at!,
            upvotes: r.upvotes!,
            picked: r.picked_by !== null,
          },
  };
}

export async function getPaper(database: Database, arxivId: string): Promise<Paper | null> {
  const row = await selectPapers(database.db).where('paper.arxiv_id', '=', arxivId).executeTakeFirst();
  return row ? toPaper(row) : null;
}

function inRange<O>(
  q: SelectQueryBuilder<Schema & { listing: Schema['listing'] }, 'listing' | 'paper', O>,
  query: Omit<ListQuery, 'limit' | 'offset'>,
) {
  let out = q.where('listing.day', '>=', query.from).where('listing.day', '<=', query.to);
  // A submitter is a person, or for papers nobody submitted the source that listed them (`arxiv`), as the API names them.
  const submitter = query.submitter;
  if (submitter)
    out = out.where((eb) =>
      eb.or([
        eb('listing.submitted_by', '=', submitter),
        eb.and([eb('listing.submitted_by', 'is', null), eb('listing.source', '=', submitter)]),
      ]),
    );
  // Papers in any of the categories or archives (paper_category holds both, migration 0012).
  const categories = query.categories ?? [];
  if (categories.length)
    out = out.where('paper.id', 'in', (eb) =>
      eb.selectFrom('paper_category').select('paper_category.paper_id').where('paper_category.category', 'in', categories),
    );
  if (query.picksOnly) out = out.where(isPick);
  return out;
}

/**
 * A pick: a paper someone chose rather than one arXiv announced. A member submitted it, a source
 * of picks (Hugging Face's daily papers) listed it, a moderator picked it, or it has upvotes.
 */
const isPick = (eb: ExpressionBuilder<Schema & { listing: Schema['listing'] }, 'listing' | 'paper'>) =>
  eb.or([eb('listing.source', '!=', 'arxiv'), eb('listing.upvotes', '>', 0), eb('listing.picked_by', 'is not', null)]);

/** How many papers a list holds, and how many of them are picks. */
export async function countListed(database: Database, query: Omit<ListQuery, 'limit' | 'offset' | 'picksOnly'>) {
  const row = await inRange(
    database.db
      .selectFrom('listing')
      .innerJoin('paper', 'paper.id', 'listing.paper_id')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.sum<number>(eb.case().when(isPick(eb)).then(1).else(0).end()).as('picks'),
      ]),
    query,
  ).executeTakeFirstOrThrow();
  return { all: Number(row.all), picks: Number(row.picks ?? 0) };
}

/**
 * Papers listed between two days. Ranked by upvotes, then the most recent first (v1 date, then the
 * arXiv number, which grows with time), or by v1 date alone with `sort: 'publishedAt'`.
 */
export async function listPapers(database: Database, query: ListQuery): Promise<{ papers: Paper[] }> {
  let q = inRange(selectPapers(database.db), query);
  if (query.sort !== 'publishedAt') q = q.orderBy('listing.upvotes', 'desc');
  const rows = await q
    .orderBy(sql`paper.published_at IS NULL`)
    .orderBy('paper.published_at', 'desc')
    .orderBy('paper.arxiv_id', 'desc')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { papers: rows.map(toPaper) };
}

/** The most recent day with at least one paper on its list, or null for an empty database. */
export async function latestDay(database: Database): Promise<string | null> {
  const row = await database.db
    .selectFrom('listing')
    .select((eb) => eb.fn.max('day').as('day'))
    .executeTakeFirst();
  return row?.day ?? null;
}

/** The nearest non-empty days before and after `from`..`to`, for previous/next links. */
export async function neighbourDays(
  database: Database,
  from: string,
  to: string,
): Promise<{ previous: string | null; next: string | null }> {
  const [previous, next] = await Promise.all([
    database.db
      .selectFrom('listing')
      .select((eb) => eb.fn.max('day').as('day'))
      .where('day', '<', from)
      .executeTakeFirst(),
    database.db
      .selectFrom('listing')
      .select((eb) => eb.fn.min('day').as('day'))
      .where('day', '>', to)
      .executeTakeFirst(),
  ]);
  return { previous: previous?.day ?? null, next: next?.day ?? null };
}

/**
 * When anything shown on a list last changed. Lists use the newest change anywhere, not just in their
 * own period, because a new day elsewhere changes their previous/next links too.
 */
export async function lastChange(database: Database): Promise<string | null> {
  const row = await database.db
    .selectFrom('paper')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function countPapers(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('paper')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The `count` most recent days that have a list, newest first. */
export async function recentDays(database: Database, count: number): Promise<string[]> {
  const rows = await database.db.selectFrom('listing').select('day').distinct().orderBy('day', 'desc').limit(count).execute();
  return rows.map((r) => r.day);
}
