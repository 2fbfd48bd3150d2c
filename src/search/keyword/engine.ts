// What keyword search asks of a database engine. SQLite answers with FTS5 (sqlite.ts), PostgreSQL
// with paper_term's word weights and a tsvector (postgres.ts); keyword.ts ranks, counts, filters and
// re-ranks the same way on both.
import type { SelectQueryBuilder } from 'kysely';
import type { Database, Schema } from '../../storage/db.ts';
import type { Allowed } from '../restriction.ts';
import type { Clause, ParsedQuery } from '../query.ts';

/** Matching papers with their bm25 scores, higher better. */
export type Matches = SelectQueryBuilder<Schema, 'paper', { id: number; score: number }>;

/** A word as PostgreSQL indexes it: a lexeme (a stop word has none) and the papers it is in. */
export interface Lexeme {
  term: string;
  papers: number;
}

/**
 * Per database, kept for an hour (keyword.ts): how many papers contain each word and, on
 * PostgreSQL, its lexemes.
 */
export interface Corpus {
  papers: number;
  since: number;
  counts: Map<string, number>;
  lexemes: Map<string, Lexeme[]>;
}

export interface KeywordEngine {
  /** Records in `corpus` how many papers each word is in; SQLite stops counting at `cap` (a common word's count reads its whole posting list). */
  countWords(database: Database, corpus: Corpus, words: string[], cap: number): Promise<void>;
  /** Every paper having the query's words (all required ones, one optional at least), among `allowed`, with its bm25 score. */
  scores(database: Database, query: ParsedQuery, allowed: Allowed | null, corpus: (words: string[]) => Promise<Corpus>): Promise<Matches>;
  /** The candidates, best first, once what a word list cannot check is checked (phrases, fields, exclusions). */
  bestFirst(database: Database, candidates: Matches, query: ParsedQuery): Matches;
  /** The papers having every required clause and no excluded one, as a subquery (the query has at least one of them). */
  constrained(database: Database, query: ParsedQuery): Allowed;
}

/** A single word anywhere: on PostgreSQL such a required clause is checked on paper_term's rows. */
export const isWord = (c: Clause) => c.field === 'any' && c.words.length === 1;

/** The query with only the clause list given and nothing else. */
export const clausesOnly = (required: Clause[]): ParsedQuery => ({ optional: [], required, excluded: [], categories: [] });
