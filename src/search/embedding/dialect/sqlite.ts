// Vectors on SQLite: float32 blobs, searched through the in-memory HNSW graph (ann.ts) whose
// candidates are re-scored exactly with sqlite-vec's distance function, or by an exact scan while
// the graph is being built or when a filter left too few of its candidates.
import { sql } from 'kysely';
import type { Database } from '../../../storage/db.ts';
import type { Allowed } from '../../restriction.ts';
import { graphCandidates } from '../ann.ts';
import type { Neighbour, VectorEngine, VectorModel } from './engine.ts';

/** With a filter, how many graph candidates are read per result wanted. */
const FILTER_OVERSAMPLING = 8;

/** Exact cosine similarity with sqlite-vec, over every vector of the model or over the candidates given. */
async function scan(
  database: Database,
  model: VectorModel,
  query: Float32Array,
  limit: number,
  allowed: Allowed[],
  among?: number[],
): Promise<Neighbour[]> {
  const rows = await database.db
    .selectFrom('paper_embedding')
    .where('model_id', '=', model.id)
    .where('vector', 'is not', null)
    .$if(among !== undefined, (q) => q.where('paper_id', 'in', sql<number>`(SELECT value FROM json_each(${JSON.stringify(among)}))`))
    .$call((q) => allowed.reduce((acc, a) => acc.where('paper_id', 'in', a), q))
    .select([
      'paper_id as id',
      sql<number>`vec_distance_cosine(vector, ${new Uint8Array(query.buffer, query.byteOffset, query.byteLength)})`.as('distance'),
    ])
    .orderBy('distance')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), score: 1 - Number(r.distance) }));
}

export const sqliteVectors: VectorEngine = {
  canSearch: async () => true,
  encode: (vector) => new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
  prepareModel: async () => {},
  afterActivation: async () => {},
  restrict: async (_database, restriction) => restriction,

  async nearest(database, model, query, limit, restriction) {
    const allowed = restriction.allowed ?? [];
    // The graph's candidates, re-scored exactly: twice the number wanted, as int8 distances swap
    // near ties, and more when a filter will drop some.
    const candidates = await graphCandidates(
      database,
      model,
      query,
      allowed.length ? Math.max(limit * FILTER_OVERSAMPLING, 400) : limit * 2,
    );
    if (candidates) {
      const found = candidates.length ? await scan(database, model, query, limit, allowed, candidates) : [];
      if (found.length >= limit || allowed.length === 0) return found;
    }
    return scan(database, model, query, limit, allowed);
  },
};
