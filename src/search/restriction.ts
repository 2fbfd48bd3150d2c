// What a search may return, as subqueries of paper ids: shared by keyword search (its filters and
// constraints) and vector search (which must honour the same ones).
import type { SelectQueryBuilder } from 'kysely';
import type { Database, Schema } from '../storage/db.ts';

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

/**
 * The restriction with `few` set: the papers passing it when they are at most `cap`, else null.
 * Counting stops at cap + 1 and reads from the first set, as `paper.id IN (…)` the planner may
 * scan every paper.
 */
export async function passingWhenFew(database: Database, restriction: Restriction, cap: number): Promise<Restriction> {
  const { allowed = [] } = restriction;
  if (allowed.length === 0 || restriction.few !== undefined) return restriction;
  const [first, ...rest] = allowed;
  const passing = await rest
    .reduce((q, a) => q.where('passing.id', 'in', a), database.db.selectFrom(first!.as('passing')).select('passing.id'))
    .limit(cap + 1)
    .execute();
  return { ...restriction, few: passing.length <= cap ? passing.map((r) => Number(r.id)) : null };
}
