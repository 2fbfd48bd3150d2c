// Keyword search on PostgreSQL: bm25 summed from paper_term's word weights (migration 0011), and
// the tsvector for what a word list cannot check (phrases, fields, exclusions).
import { sql } from 'kysely';
import type { Database } from '../../storage/db.ts';
import type { Allowed } from '../restriction.ts';
import type { Clause, ParsedQuery } from '../query.ts';
import { isWord, type Corpus, type KeywordEngine, type Matches } from './engine.ts';

/** to_tsquery syntax for the required and excluded clauses; words are letters and digits only. Title is weight A, authors B. */
function tsquery(query: ParsedQuery): string {
  const weight: Record<Clause['field'], string> = { any: '', title: ':A', authors: ':B' };
  const clause = (c: Clause) => `(${c.words.map((w) => w + weight[c.field]).join(' <-> ')})`;
  return [...query.required.map(clause), ...query.excluded.map((c) => `!${clause(c)}`)].join(' & ');
}

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

async function scores(
  database: Database,
  query: ParsedQuery,
  allowed: Allowed | null,
  corpusOf: (words: string[]) => Promise<Corpus>,
): Promise<Matches> {
  const required = query.required.flatMap((c) => c.words);
  const { papers, lexemes } = await corpusOf([...query.optional, ...required]);
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

/** What PostgreSQL checks on the tsvector (phrases, fields, exclusions) as a to_tsquery; null when nothing. */
function checked(query: ParsedQuery): string | null {
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

export const postgresKeywords: KeywordEngine = {
  async countWords(database, corpus, words) {
    const rows = await sql<{ word: string; term: string; papers: number }>`
      SELECT w.word, l.term, (SELECT count(*) FROM paper_term AS t WHERE t.term = l.term) AS papers
      FROM unnest(ARRAY[${sql.join(words)}]::text[]) AS w(word),
           unnest(tsvector_to_array(to_tsvector('english', paperboy_fold(w.word)))) AS l(term)`.execute(database.db);
    for (const word of words) corpus.lexemes.set(word, []);
    for (const r of rows.rows) corpus.lexemes.get(r.word)!.push({ term: r.term, papers: Number(r.papers) });
    for (const word of words) corpus.counts.set(word, Math.max(0, ...corpus.lexemes.get(word)!.map((l) => l.papers)));
  },
  scores,
  bestFirst(database, candidates, query) {
    const check = checked(query);
    return check ? checkedInOrder(database, candidates, check) : candidates.orderBy('score', 'desc');
  },
  constrained: (database, query) =>
    database.db
      .selectFrom('paper')
      .where(sql<boolean>`paper.search @@ to_tsquery('english', ${tsquery(query)})`)
      .select('paper.id') as unknown as Allowed,
};
