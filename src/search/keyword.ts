// Keyword search, ranked by bm25 weighting title 5, authors 2, abstract 1 on both engines: SQLite's
// FTS5 ranks itself; on PostgreSQL the weights of the sought words are summed from paper_term
// (migration 0011), and a tsvector checks what a word list cannot (phrases, fields, exclusions).
// Both take the same parsed query (query.ts), compiled here from letters and digits only.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database, Schema } from '../storage/db.ts';
import type { Allowed } from './embedding/nearest.ts';
import { addDays } from '../util/dates.ts';
import { countPapers, selectPapers, toPaper } from '../storage/papers.ts';
import type { Paper } from '../model/paper.ts';
import { words, type Clause, type ParsedQuery } from './query.ts';

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

/** FTS5 MATCH syntax: every word double-quoted, so nothing in it can be an operator. */
function fts5(query: ParsedQuery): string {
  const column: Record<Clause['field'], string> = { any: '', title: 'title : ', authors: 'authors : ' };
  const clause = (c: Clause) => `${column[c.field]}"${c.words.join(' ')}"`;
  const parts = query.required.map(clause);
  if (query.optional.length > 0) parts.unshift(`(${query.optional.map((w) => `"${w}"`).join(' OR ')})`);
  return [parts.join(' AND '), ...query.excluded.map(clause)].join(' NOT ');
}

/** to_tsquery syntax for the required and excluded clauses; words are letters and digits only. Title is weight A, authors B. */
function tsquery(query: ParsedQuery): string {
  const weight: Record<Clause['field'], string> = { any: '', title: ':A', authors: ':B' };
  const clause = (c: Clause) => `(${c.words.map((w) => w + weight[c.field]).join(' <-> ')})`;
  return [...query.required.map(clause), ...query.excluded.map((c) => `!${clause(c)}`)].join(' & ');
}

function withFilters(query: ParsedQuery, filters: SearchFilters): ParsedQuery {
  if (!filters.author) return query;
  const author = words(filters.author); // folded as the index folds them
  return author.length ? { ...query, required: [...query.required, { field: 'authors', words: author }] } : query;
}

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
  if (query.required.length === 0 && database.dialect === 'sqlite') {
    // Only exclusions: every paper but those matching any excluded clause (FTS5 has no query of
    // negations alone; PostgreSQL checks `!a & !b` on each paper, rather than find the many that have them).
    const excluded = matching(database, { ...query, required: query.excluded, excluded: [] }, true);
    return database.db.selectFrom('paper').select('paper.id').where('paper.id', 'not in', excluded) as unknown as Allowed;
  }
  return matching(database, query, false);
}

function matching(database: Database, query: ParsedQuery, any: boolean): Allowed {
  if (database.dialect === 'sqlite') {
    const match = any
      ? query.required.map((c) => fts5({ optional: [], required: [c], excluded: [], categories: [] })).join(' OR ')
      : fts5(query);
    return database.db
      .selectFrom(sql<{ rowid: number }>`paper_fts`.as('paper_fts'))
      .where(sql<boolean>`paper_fts MATCH ${match}`)
      .select('paper_fts.rowid as id') as unknown as Allowed;
  }
  const ts = any
    ? query.required.map((c) => tsquery({ optional: [], required: [c], excluded: [], categories: [] })).join(' | ')
    : tsquery(query);
  return database.db
    .selectFrom('paper')
    .where(sql<boolean>`paper.search @@ to_tsquery('english', ${ts})`)
    .select('paper.id') as unknown as Allowed;
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

/** A word as PostgreSQL indexes it: a lexeme (a stop word has none) and the papers it is in. */
interface Lexeme {
  term: string;
  papers: number;
}

/**
 * Per database, kept for an hour: how many papers contain each word (on SQLite counted up to just
 * over the common share, since a common word's count reads its whole posting list; on PostgreSQL
 * exactly, from paper_term's index) and, on PostgreSQL, its lexemes.
 */
interface Corpus {
  papers: number;
  since: number;
  counts: Map<string, number>;
  lexemes: Map<string, Lexeme[]>;
}
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
  if (unknown.length === 0) return known;
  if (database.dialect === 'sqlite') {
    const cap = Math.floor(commonLimit(known.papers)) + 1;
    for (const word of unknown) {
      const row = await sql<{
        n: number;
      }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper_fts WHERE paper_fts MATCH ${`"${word}"`} LIMIT ${cap})`.execute(database.db);
      known.counts.set(word, Number(row.rows[0]?.n ?? 0));
    }
    return known;
  }
  const rows = await sql<{ word: string; term: string; papers: number }>`
    SELECT w.word, l.term, (SELECT count(*) FROM paper_term AS t WHERE t.term = l.term) AS papers
    FROM unnest(ARRAY[${sql.join(unknown)}]::text[]) AS w(word),
         unnest(tsvector_to_array(to_tsvector('english', paperboy_fold(w.word)))) AS l(term)`.execute(database.db);
  for (const word of unknown) known.lexemes.set(word, []);
  for (const r of rows.rows) known.lexemes.get(r.word)!.push({ term: r.term, papers: Number(r.papers) });
  for (const word of unknown) known.counts.set(word, Math.max(0, ...known.lexemes.get(word)!.map((l) => l.papers)));
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

type Matches = SelectQueryBuilder<Schema, 'paper', { id: number; score: number }>;

/** A single word anywhere: on PostgreSQL such a required clause is checked on paper_term's rows. */
const isWord = (c: Clause) => c.field === 'any' && c.words.length === 1;

/**
 * PostgreSQL's bm25: for each paper having a sought word, the sum of the words' weights there
 * (migration 0011) times their idf, ln((N - n + 0.5) / (n + 0.5)) for a word in n of N papers and at
 * least 1e-6, as FTS5 computes it.
 * A paper must have every word of the required clauses and, when the query has them, at least one
 * optional word; phrases, fields and exclusions are then checked on the tsvector (checkedInOrder).
 * With optional words, every sought word's rows are grouped by paper. When every word is required
 * (a phrase alone; hybrid search's fallback to the two rarest of common words), the papers are the
 * intersection of the words' rows, joined rarest first: the planner merges the lists in paper order,
 * or looks each paper up in the others', with no grouping, and in newest-first order it stops at
 * the newest matches hybrid search wants. "multimodal" and "train" (8k and 30k papers): 27 → 7 ms
 * on PGlite. Up to MAX_JOINED_WORDS words: the planner weighs every order of a join, and a long
 * phrase would have it plan for longer than grouping takes.
 */
const MAX_JOINED_WORDS = 4;

async function postgresScores(database: Database, query: ParsedQuery, allowed: Allowed | null): Promise<Matches> {
  const required = query.required.flatMap((c) => c.words);
  const { papers, lexemes } = await corpusOf(database, [...query.optional, ...required]);
  const sought = new Map<string, { idf: number; papers: number; optional: boolean; required: boolean }>();
  const add = (words: string[], role: 'optional' | 'required') => {
    for (const { term, papers: n } of words.flatMap((w) => lexemes.get(w)!)) {
      const entry = sought.get(term) ?? {
        idf: Math.max(1e-6, Math.log((papers - n + 0.5) / (n + 0.5))),
        papers: n,
        optional: false,
        required: false,
      };
      entry[role] = true;
      sought.set(term, entry);
    }
  };
  add(query.optional, 'optional');
  add(required, 'required');
  const only = allowed ? sql`AND t0.paper_id IN (${allowed})` : sql``;
  let rows;
  if (sought.size === 0) {
    rows = sql<{ id: number; score: number }>`SELECT NULL::integer AS id, NULL::float8 AS score WHERE false`;
  } else if (sought.size <= MAX_JOINED_WORDS && [...sought.values()].every((t) => t.required)) {
    const terms = [...sought].sort((a, b) => a[1].papers - b[1].papers);
    const alias = (i: number) => sql.raw(`t${i}`);
    const score = sql.join(
      terms.map(([, t], i) => sql`${alias(i)}.weight * ${t.idf}::float8`),
      sql` + `,
    );
    const joins = sql.join(
      terms
        .slice(1)
        .map(
          ([term], i) =>
            sql`JOIN paper_term AS ${alias(i + 1)} ON ${alias(i + 1)}.paper_id = t0.paper_id AND ${alias(i + 1)}.term = ${term}`,
        ),
      sql` `,
    );
    rows = sql<{
      id: number;
      score: number;
    }>`SELECT t0.paper_id AS id, ${score} AS score FROM paper_term AS t0 ${joins} WHERE t0.term = ${terms[0]![0]} ${only}`;
  } else {
    // Each word's idf joined from a VALUES list, the words not said again as `term = ANY(…)`: with
    // both, the planner estimated one row and rescanned a date filter per row (47 s). A CASE per
    // row instead cost keyword-only search with many common words 36% at p95.
    const termsOf = (role: 'optional' | 'required') => [...sought].filter(([, t]) => t[role]).map(([term]) => term);
    const count = (terms: string[]) => sql`count(*) FILTER (WHERE t0.term = ANY(ARRAY[${sql.join(terms)}]::text[]))`;
    const [requiredTerms, optionalTerms] = [termsOf('required'), termsOf('optional')];
    // Every required word and, when there are optional words, one at least; without required words every row is an optional word's.
    const having =
      requiredTerms.length === 0
        ? sql``
        : optionalTerms.length === 0
          ? sql`HAVING ${count(requiredTerms)} = ${requiredTerms.length}`
          : sql`HAVING ${count(requiredTerms)} = ${requiredTerms.length} AND ${count(optionalTerms)} > 0`;
    const values = sql.join([...sought].map(([term, t]) => sql`(${term}::text, ${t.idf}::float8)`));
    rows = sql<{ id: number; score: number }>`SELECT t0.paper_id AS id, sum(t0.weight * s.idf) AS score
          FROM (VALUES ${values}) AS s(term, idf) JOIN paper_term AS t0 ON t0.term = s.term ${only}
          GROUP BY t0.paper_id ${having}`;
  }
  return database.db
    .selectFrom(sql<{ id: number; score: number }>`(${rows})`.as('scored'))
    .select(['scored.id as id', 'scored.score as score']) as unknown as Matches;
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
  { offset = 0, count = true, dropCommonWords = false }: { offset?: number; count?: boolean; dropCommonWords?: boolean } = {},
): Promise<{ ranked: Ranked[]; total: number }> {
  const query = withFilters(dropCommonWords ? await withTellingWords(database, parsed) : parsed, filters);
  if (query.optional.length === 0 && query.required.length === 0) return { ranked: [], total: 0 };
  const allowed = allowedPapers(database, query, filters);

  // Rank inside the engine and fetch only the page's papers. FTS5 sorts by its configured rank
  // (weighted bm25, migration 0004); PostgreSQL sums paper_term's weights (postgresScores below).
  const scored = (database.dialect === 'sqlite'
    ? database.db
        .selectFrom(sql<{ rowid: number; rank: number }>`paper_fts`.as('paper_fts'))
        .where(sql<boolean>`paper_fts MATCH ${fts5(query)}`)
        // `+rowid`: filter FTS5's matches, rather than run the full-text query once per allowed row.
        .$if(allowed !== null, (q) => q.where(sql`+paper_fts.rowid`, 'in', allowed!))
        .select(['paper_fts.rowid as id', sql<number>`-rank`.as('score')])
    : await postgresScores(database, query, allowed)) as unknown as Matches;
  // For fusion the engine scores at most MAX_SCORED matches, the newest: when even the telling words
  // are common (every word of "large language models"), ranking all their papers would cost 0.8 s at
  // a million papers, and the semantic list ranks by meaning anyway.
  const candidates = (dropCommonWords
    ? database.db.selectFrom(scored.orderBy('id', 'desc').limit(MAX_SCORED).as('newest')).select(['newest.id', 'newest.score'])
    : scored) as unknown as Matches;
  const check = database.dialect === 'postgres' ? postgresCheck(query) : null;
  const matches = check ? checkedInOrder(database, candidates, check) : candidates.orderBy('score', 'desc');
  const [rows, counted] = await Promise.all([
    matches.limit(limit).offset(offset).execute(),
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
  return { ranked, total: counted ? Number(counted.n) : ranked.length };
}

/** What PostgreSQL checks on the tsvector (phrases, fields, exclusions) as a to_tsquery; null when nothing. */
function postgresCheck(query: ParsedQuery): string | null {
  const checked = { ...query, required: query.required.filter((c) => !isWord(c)) };
  return checked.required.length + checked.excluded.length > 0 ? tsquery(checked) : null;
}

/**
 * The candidates that pass the tsvector check, best first. The check reads the paper's tsvector,
 * ~5 µs a paper, and a phrase of common words has 20k candidates (0.7 s to check them all on the
 * benchmark's PostgreSQL). So candidates are checked in score order, only until the page and the
 * count (at most MAX_COUNT) are full: the check is a subquery per row, which the planner cannot
 * turn into a join that checks every paper, above a sort that OFFSET 0 keeps it from moving below.
 */
function checkedInOrder(database: Database, candidates: Matches, check: string): Matches {
  return database.db
    .selectFrom(candidates.orderBy('score', 'desc').offset(0).as('ordered'))
    .where(sql<boolean>`(SELECT p.search @@ to_tsquery('english', ${check}) FROM paper AS p WHERE p.id = ordered.id)`)
    .select(['ordered.id as id', 'ordered.score as score'])
    .orderBy('ordered.score', 'desc') as unknown as Matches;
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
