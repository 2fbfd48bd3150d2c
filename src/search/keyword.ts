// Keyword search, ranked by bm25 weighting title 5, authors 2, abstract 1 on both engines: each
// engine finds and scores (keyword/sqlite.ts, keyword/postgres.ts); here the same parsed query
// (query.ts) is filtered, counted, cut to its telling words for fusion, and its best matches
// re-ranked by the query's words found together (proximity.ts).
import { sql } from 'kysely';
import type { Database, Dialect } from '../storage/db.ts';
import type { Allowed } from './restriction.ts';
import { addDays } from '../util/dates.ts';
import { countPapers, selectPapers, toPaper } from '../storage/papers.ts';
import type { Paper } from '../model/paper.ts';
import { words, type ParsedQuery } from './query.ts';
import type { Corpus, KeywordEngine, Matches } from './keyword/engine.ts';
import { postgresKeywords } from './keyword/postgres.ts';
import { sqliteKeywords } from './keyword/sqlite.ts';
import { PROXIMITY, proximityFactor, RERANK_DEPTH, wordPairs, type ProximityWeights } from './proximity.ts';

export interface SearchFilters {
  from?: string; // first-version date, inclusive (YYYY-MM-DD)
  to?: string; // inclusive
  category?: string; // cs.CL, or an archive such as cs
  author?: string;
}

export interface SearchHit {
  paper: Paper;
  score: number; // higher is better
  keyword?: boolean; // found by its words
  semantic?: boolean; // found by its meaning
}

function withFilters(query: ParsedQuery, filters: SearchFilters): ParsedQuery {
  if (!filters.author) return query;
  const author = words(filters.author); // folded as the index folds them
  return author.length ? { ...query, required: [...query.required, { field: 'authors', words: author }] } : query;
}

const ENGINES: Record<Dialect, KeywordEngine> = { sqlite: sqliteKeywords, postgres: postgresKeywords };

/** Counting stops here: beyond it a page says "1,000+" rather than scanning every match. */
export const MAX_COUNT = 1000;

/**
 * The papers the filters (and the query's cat: terms) allow, as a subquery; null when nothing is
 * filtered. Each filter reads an index (migration 0012): the categories and archives of each paper,
 * and the first-version date.
 */
export function allowedPapers(database: Database, query: ParsedQuery, filters: SearchFilters): Allowed | null {
  const categories = [...query.categories, ...(filters.category ? [filters.category] : [])];
  if (!filters.from && !filters.to && categories.length === 0) return null;
  const db = database.db;
  const sets = categories.map((category) =>
    db.selectFrom('paper_category').select('paper_category.paper_id as id').where('paper_category.category', '=', category),
  );
  if (filters.from || filters.to) {
    // The first-version date; for papers whose v1 time no source gave, the time they were listed.
    const from = filters.from ? `${filters.from}T00:00:00.000Z` : null;
    const until = filters.to ? `${addDays(filters.to, 1)}T00:00:00.000Z` : null;
    const published = db
      .selectFrom('paper as p')
      .select('p.id')
      .$if(from !== null, (q) => q.where('p.published_at', '>=', from!))
      .$if(until !== null, (q) => q.where('p.published_at', '<', until!));
    const listed = db
      .selectFrom('listing')
      .select('listing.paper_id as id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('paper as v1').select('v1.id').whereRef('v1.id', '=', 'listing.paper_id').where('v1.published_at', 'is not', null),
          ),
        ),
      )
      .$if(from !== null, (q) => q.where('listing.listed_at', '>=', from!))
      .$if(until !== null, (q) => q.where('listing.listed_at', '<', until!));
    sets.push(published.unionAll(listed) as unknown as (typeof sets)[number]);
  }
  // One filter is its own set (SQLite lists a subquery's rows before use: 25k paper lookups cost cs.CL 40 ms); more are intersected.
  const allowed =
    sets.length === 1 ? sets[0]! : sets.reduce((q, set) => q.where('paper.id', 'in', set), db.selectFrom('paper').select('paper.id'));
  return allowed as unknown as Allowed;
}

/** The papers matching the query's required and excluded clauses (and the author filter), ignoring its optional words; null when it has none. */
export function constrainedPapers(database: Database, parsed: ParsedQuery, filters: SearchFilters): Allowed | null {
  const query = withFilters({ ...parsed, optional: [] }, filters);
  if (query.required.length === 0 && query.excluded.length === 0) return null;
  return ENGINES[database.dialect].constrained(database, query);
}

/**
 * Hybrid search reads keyword matches as one of two lists, and there a long question would make the
 * engine score most of the corpus for words such as "model" or "learning" (in a fifth of all
 * papers) that barely move bm25: 170 ms at p95 for the 400 benchmark queries. So for fusion only
 * the words in at most COMMON_SHARE of the papers choose them, rarest first, while together they are
 * in at most CHOSEN_SHARE of the papers (the engine's work; the rarest always counts), MAX_TELLING
 * at most; when every word is common, as in "large language models", papers must have the two rarest
 * (counts stop above the common share, so there the query's order decides).
 * Shares grow with the corpus and so would the work: both are also capped at MAX_SCORED papers, which
 * binds from about 150k papers up (at a million, the shares alone let the engine score 100k rows:
 * 66 ms a query on average).
 * Hybrid quality on CSFCube is unchanged and keyword-only search keeps every word (docs/search.md).
 */
const COMMON_SHARE = 0.05;
const MAX_TELLING = 16;
const CHOSEN_SHARE = 0.1;
const MAX_SCORED = 15_000;
const FREQUENCY_TTL_MS = 60 * 60_000;
const MAX_KNOWN_WORDS = 100_000; // forgotten all at once beyond this: a stranger's random words must not fill memory

const corpora = new WeakMap<Database, Corpus>();

/** Papers a word may be in and still choose candidates; and what the chosen words may reach together. */
const commonLimit = (papers: number) => Math.min(COMMON_SHARE * papers, MAX_SCORED);
const chosenLimit = (papers: number) => Math.min(CHOSEN_SHARE * papers, MAX_SCORED);

async function corpusOf(database: Database, words: string[]): Promise<Corpus> {
  let known = corpora.get(database);
  if (!known || Date.now() - known.since > FREQUENCY_TTL_MS || known.counts.size > MAX_KNOWN_WORDS) {
    known = { papers: await countPapers(database), since: Date.now(), counts: new Map(), lexemes: new Map() };
    corpora.set(database, known);
  }
  const unknown = [...new Set(words)].filter((w) => !known.counts.has(w));
  if (unknown.length > 0) await ENGINES[database.dialect].countWords(database, known, unknown, Math.floor(commonLimit(known.papers)) + 1);
  return known;
}

/** The query with only its telling words choosing papers (above). */
async function withTellingWords(database: Database, query: ParsedQuery): Promise<ParsedQuery> {
  if (query.optional.length === 0) return query;
  const { papers, counts } = await corpusOf(database, query.optional);
  const found = query.optional.filter((w) => counts.get(w)! > 0).sort((a, b) => counts.get(a)! - counts.get(b)!);
  let matched = 0; // papers the chosen words are in, counted with repeats: the engine's work
  const telling = found
    .filter((w, i) => {
      const n = counts.get(w)!;
      const chosen = n <= commonLimit(papers) && (i === 0 || matched + n <= chosenLimit(papers));
      if (chosen) matched += n;
      return chosen;
    })
    .slice(0, MAX_TELLING);
  if (telling.length > 0) return { ...query, optional: telling };
  return {
    ...query,
    optional: [],
    required: [...query.required, ...found.slice(0, 2).map((w) => ({ field: 'any' as const, words: [w] }))],
  };
}

export interface Ranked {
  id: number;
  score: number; // higher is better
}

/**
 * The ids and scores of the best keyword matches, and how many there are (at most MAX_COUNT; when
 * `count` is false, as for fusion, the count is skipped and `total` is the length of the list).
 */
export async function keywordRanking(
  database: Database,
  parsed: ParsedQuery,
  filters: SearchFilters,
  limit: number,
  {
    offset = 0,
    count = true,
    dropCommonWords = false,
    proximity = PROXIMITY,
  }: { offset?: number; count?: boolean; dropCommonWords?: boolean; proximity?: ProximityWeights } = {},
): Promise<{ ranked: Ranked[]; total: number }> {
  const query = withFilters(dropCommonWords ? await withTellingWords(database, parsed) : parsed, filters);
  if (query.optional.length === 0 && query.required.length === 0) return { ranked: [], total: 0 };
  const allowed = allowedPapers(database, query, filters);

  // Rank inside the engine and fetch only the page's papers.
  const engine = ENGINES[database.dialect];
  const scored = await engine.scores(database, query, allowed, (words) => corpusOf(database, words));
  // For fusion the engine scores at most MAX_SCORED matches, the newest: when even the telling words
  // are common (every word of "large language models"), ranking all their papers would cost 0.8 s at
  // a million papers, and the semantic list ranks by meaning anyway.
  const candidates = (dropCommonWords
    ? database.db.selectFrom(scored.orderBy('id', 'desc').limit(MAX_SCORED).as('newest')).select(['newest.id', 'newest.score'])
    : scored) as unknown as Matches;
  const matches = engine.bestFirst(database, candidates, query);
  // Pages within the re-ranked depth are cut from it (proximity.ts), so that pages agree.
  const pairs = wordPairs(parsed.optional); // in the order typed: fusion keeps only the rarest words, rarest first
  const rerank = pairs.length > 0 && offset < RERANK_DEPTH && proximity.together + proximity.title > 0;
  const [rows, counted] = await Promise.all([
    (rerank ? matches.limit(Math.max(RERANK_DEPTH, offset + limit)) : matches.limit(limit).offset(offset)).execute(),
    count
      ? database.db
          .selectFrom(
            matches
              .clearSelect()
              .clearOrderBy()
              .select(sql<number>`1`.as('one'))
              .limit(MAX_COUNT)
              .as('m'),
          )
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      : null,
  ]);
  const ranked = rows.map((r) => ({ id: Number(r.id), score: Number(r.score) }));
  const page = rerank ? (await byProximity(database, ranked, pairs, proximity)).slice(offset, offset + limit) : ranked;
  return { ranked: page, total: counted ? Number(counted.n) : page.length };
}

/** The first RERANK_DEPTH of the ranking re-ranked by the query's words found together; the rest as they were. */
async function byProximity(database: Database, ranked: Ranked[], pairs: ReturnType<typeof wordPairs>, weights: ProximityWeights) {
  const head = ranked.slice(0, RERANK_DEPTH);
  if (head.length === 0) return ranked;
  // Abstracts are read only when they count: 101 of them cost a hybrid search about 5 ms.
  const texts = await database.db
    .selectFrom('paper')
    .select(['id', 'title'])
    .$if(weights.together > 0, (q) => q.select('abstract'))
    .where(
      'id',
      'in',
      head.map((r) => r.id),
    )
    .execute();
  const factor = new Map(texts.map((t) => [Number(t.id), proximityFactor({ abstract: '', ...t }, pairs, weights)]));
  const rescored = head
    .map((r) => ({ id: r.id, score: r.score * (factor.get(r.id) ?? 1) }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
  return [...rescored, ...ranked.slice(RERANK_DEPTH)];
}

/**
 * A search of filters alone (`cat:cs.CL`, perhaps with `-survey` or an author): the papers they
 * allow, newest first (first-version date, then arXiv number), and how many (at most MAX_COUNT).
 */
export async function filteredRanking(
  database: Database,
  query: ParsedQuery,
  filters: SearchFilters,
  limit: number,
  offset: number,
): Promise<{ ranked: Ranked[]; total: number }> {
  const allowed = [allowedPapers(database, query, filters), constrainedPapers(database, query, filters)].filter((a) => a !== null);
  const papers = allowed.reduce((q, a) => q.where('paper.id', 'in', a), database.db.selectFrom('paper').select('paper.id'));
  const [rows, counted] = await Promise.all([
    papers
      .orderBy(sql`paper.published_at IS NULL`)
      .orderBy('paper.published_at', 'desc')
      .orderBy('paper.arxiv_id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    database.db
      .selectFrom(papers.limit(MAX_COUNT).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { ranked: rows.map((r, i) => ({ id: Number(r.id), score: -(offset + i) })), total: Number(counted.n) };
}

/** The papers of a ranking, in its order. */
export async function rankedPapers(
  database: Database,
  ranked: (Ranked & { keyword?: boolean; semantic?: boolean })[],
): Promise<SearchHit[]> {
  const papers = ranked.length
    ? await selectPapers(database.db)
        .where(
          'paper.id',
          'in',
          ranked.map((r) => r.id),
        )
        .execute()
    : [];
  const byId = new Map(papers.map((p) => [p.id, toPaper(p)]));
  return ranked
    .filter((r) => byId.has(r.id))
    .map((r) => ({ paper: byId.get(r.id)!, score: r.score, keyword: r.keyword ?? true, semantic: r.semantic ?? false }));
}

export async function keywordSearch(
  database: Database,
  parsed: ParsedQuery,
  filters: SearchFilters,
  limit: number,
  offset = 0,
): Promise<{ hits: SearchHit[]; total: number /* at most MAX_COUNT */ }> {
  const { ranked, total } = await keywordRanking(database, parsed, filters, limit, { offset });
  return { hits: await rankedPapers(database, ranked), total };
}
