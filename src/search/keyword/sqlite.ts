// Keyword search on SQLite: FTS5 finds and ranks (its rank is a weighted bm25, migration 0004).
import { sql } from 'kysely';
import type { Allowed } from '../restriction.ts';
import type { Clause, ParsedQuery } from '../query.ts';
import { clausesOnly, type KeywordEngine, type Matches } from './engine.ts';

/** FTS5 MATCH syntax: every word double-quoted, so nothing in it can be an operator. */
function fts5(query: ParsedQuery): string {
  const column: Record<Clause['field'], string> = { any: '', title: 'title : ', authors: 'authors : ' };
  const clause = (c: Clause) => `${column[c.field]}"${c.words.join(' ')}"`;
  const parts = query.required.map(clause);
  if (query.optional.length > 0) parts.unshift(`(${query.optional.map((w) => `"${w}"`).join(' OR ')})`);
  return [parts.join(' AND '), ...query.excluded.map(clause)].join(' NOT ');
}

export const sqliteKeywords: KeywordEngine = {
  async countWords(database, corpus, words, cap) {
    for (const word of words) {
      const row = await sql<{
        n: number;
      }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper_fts WHERE paper_fts MATCH ${`"${word}"`} LIMIT ${cap})`.execute(database.db);
      corpus.counts.set(word, Number(row.rows[0]?.n ?? 0));
    }
  },

  async scores(database, query, allowed) {
    return (
      database.db
        .selectFrom(sql<{ rowid: number; rank: number }>`paper_fts`.as('paper_fts'))
        .where(sql<boolean>`paper_fts MATCH ${fts5(query)}`)
        // `+rowid`: filter FTS5's matches, rather than run the full-text query once per allowed row.
        .$if(allowed !== null, (q) => q.where(sql`+paper_fts.rowid`, 'in', allowed!))
        .select(['paper_fts.rowid as id', sql<number>`-rank`.as('score')]) as unknown as Matches
    );
  },

  bestFirst: (_database, candidates) => candidates.orderBy('score', 'desc'),

  constrained(database, query) {
    const matching = (match: string) =>
      database.db
        .selectFrom(sql<{ rowid: number }>`paper_fts`.as('paper_fts'))
        .where(sql<boolean>`paper_fts MATCH ${match}`)
        .select('paper_fts.rowid as id') as unknown as Allowed;
    if (query.required.length > 0) return matching(fts5(query));
    // Only exclusions: every paper but those matching any excluded clause (FTS5 has no query of negations alone).
    const excluded = matching(query.excluded.map((c) => fts5(clausesOnly([c]))).join(' OR '));
    return database.db.selectFrom('paper').select('paper.id').where('paper.id', 'not in', excluded) as unknown as Allowed;
  },
};
