// What a search may return, as subqueries of paper ids: shared by keyword search (its filters and
// constraints) and vector search (which must honour the same ones).
import type { SelectQueryBuilder } from 'kysely';
import type { Schema } from '../storage/db.ts';

export type Allowed = SelectQueryBuilder<Schema, 'paper', { id: number }>;

/**
 * The papers a vector search may return: those in every `allowed` subquery (the filters, and the
 * query's required and excluded words). `few`, once counted (PostgreSQL): the papers passing, when
 * they are few; null when they are many.
 */
export interface Restriction {
  allowed?: Allowed[];
  few?: number[] | null;
}
