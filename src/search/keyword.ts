// Keyword search: FTS5 with bm25 on SQLite, a weighted tsvector with ts_rank_cd on PostgreSQL. Both
// rank title matches above author matches above abstract matches, and both take the same parsed
// query (query.ts), compiled here into each engine's syntax from letters and digits only.
import { sql } from 'kysely';
import type { Database } from '../storage/db.ts';
import { addDays } from '../util/dates.ts';
import { selectPapers, toPaper, type Paper } from '../storage/papers.ts';
import type { Clause, ParsedQuery } from './query.ts';

export interface SearchFilters {
  from?: string; // first-version date, inclusive (YYYY-MM-DD)
  to?: string; // inclusive
  category?: string; // cs.CL, or an archive such as cs
  author?: string;
}

export interface SearchHit {
  paper: Paper;
  score: number; // higher is better
}

/** FTS5 MATCH syntax: every word double-quoted, so nothing in it can be an operator. */
function fts5(query: ParsedQuery): string {
  const column: Record<Clause['field'], string> = { any: '', title: 'title : ', authors: 'authors : ' };
  const clause = (c: Clause) => `${column[c.field]}"${c.words.join(' ')}"`;
  const parts = query.required.map(clause);
  if (query.optional.length > 0) parts.unshift(`(${query.optional.map((w) => `"${w}"`).join(' OR ')})`);
  return [parts.join(' AND '), ...query.excluded.map(clause)].join(' NOT ');
}

/** to_tsquery syntax; words are letters and digits only. Title is weight A, authors B. */
function tsquery(query: ParsedQuery): string {
  const weight: Record<Clause['field'], string> = { any: '', title: ':A', authors: ':B' };
  const clause = (c: Clause) => `(${c.words.map((w) => w + weight[c.field]).join(' <-> ')})`;
  const parts = query.required.map(clause);
  if (query.optional.length > 0) parts.unshift(`(${query.optional.join(' | ')})`);
  return [...parts, ...query.excluded.map((c) => `!${clause(c)}`)].join(' & ');
}

function withFilters(query: ParsedQuery, filters: SearchFilters): ParsedQuery {
  if (!filters.author) return query;
  const author = filters.author.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return author.length ? { ...query, required: [...query.required, { field: 'authors', words: author }] } : query;
}

/** Counting stops here: beyond it a page says "1,000+" rather than scanning every match. */
export const MAX_COUNT = 1000;

export async function keywordSearch(
  database: Database,
  parsed: ParsedQuery,
  filters: SearchFilters,
  limit: number,
  offset = 0,
): Promise<{ hits: SearchHit[]; total: number /* at most MAX_COUNT */ }> {
  const query = withFilters(parsed, filters);
  const categories = [...query.categories, ...(filters.category ? [filters.category] : [])];
  const sqlite = database.dialect === 'sqlite';
  // bm25 is lower-is-better; ts_rank_cd higher-is-better. Weights favour title, then authors, then abstract.
  let q = sqlite
    ? selectPapers(database.db)
        .innerJoin(sql<{ rowid: number }>`paper_fts`.as('paper_fts'), (join) => join.onRef('paper_fts.rowid', '=', 'paper.id'))
        .where(sql<boolean>`paper_fts MATCH ${fts5(query)}`)
    : selectPapers(database.db).where(sql<boolean>`paper.search @@ to_tsquery('english', ${tsquery(query)})`);
  const score = sqlite
    ? sql<number>`-bm25(paper_fts, 5.0, 1.0, 2.0)`
    : sql<number>`ts_rank_cd('{0.05, 0.2, 0.5, 1.0}', paper.search, to_tsquery('english', ${tsquery(query)}), 1)`;

  // The first-version date; for papers whose v1 time no source gave, the time they were listed.
  if (filters.from) q = q.where(sql`coalesce(paper.published_at, listing.listed_at)`, '>=', `${filters.from}T00:00:00.000Z`);
  if (filters.to) q = q.where(sql`coalesce(paper.published_at, listing.listed_at)`, '<', `${addDays(filters.to, 1)}T00:00:00.000Z`);
  for (const category of categories) {
    const elements = sqlite ? sql`json_each(paper.categories)` : sql`jsonb_array_elements_text(paper.categories) AS c(value)`;
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM ${elements} WHERE value = ${category} OR value LIKE ${`${category}.%`})`);
  }
  const [rows, count] = await Promise.all([
    q.select(score.as('score')).orderBy('score', 'desc').orderBy('paper.arxiv_id', 'desc').limit(limit).offset(offset).execute(),
    database.db
      .selectFrom(q.clearSelect().select('paper.id').limit(MAX_COUNT).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { hits: rows.map((r) => ({ paper: toPaper(r), score: Number(r.score) })), total: Number(count.n) };
}

