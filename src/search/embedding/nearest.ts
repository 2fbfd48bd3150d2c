// The papers nearest a query vector, on either engine (dialect/): vectors are unit length, so
// cosine similarity is the score on both.
import type { Database } from '../../storage/db.ts';
import type { Restriction } from '../restriction.ts';
import type { Neighbour, VectorModel } from './dialect/engine.ts';
import { vectorEngine } from './dialect/engines.ts';
import { isZero } from './vectors.ts';

/** The restriction with what the engine must know of it before searching: counted once for the searches that share it (hybrid search makes two). */
export async function countPassing(database: Database, restriction: Restriction, limit: number): Promise<Restriction> {
  return vectorEngine(database).restrict(database, restriction, limit);
}

/** The `limit` papers nearest the (unit) query vector, with their cosine similarity, among those the restriction allows. */
export async function nearest(
  database: Database,
  model: VectorModel,
  query: Float32Array,
  limit: number,
  restriction: Restriction = {},
): Promise<Neighbour[]> {
  if (isZero(query)) return [];
  return vectorEngine(database).nearest(database, model, query, limit, restriction);
}
