// Vectors on SQLite: float32 blobs, searched through the in-memory HNSW graph (ann.ts) whose
// candidates are re-scored exactly with sqlite-vec's distance function, or by an exact scan while
// the graph is being built or when a filter left too few of its candidates. With a restriction the
// papers passing are counted first, as on PostgreSQL: when few pass (a small category, an author)
// the distance to each is computed; when many do (a month, the papers without a common word) each
// candidate is checked against the restriction, never the other way round: SQLite would otherwise
// look up the vector of every paper passing, 76k for "-compression", 750 ms against a 130 ms scan.
import { sql } from 'kysely';
import type { Database } from '../../../storage/db.ts';
import { passingWhenFew, type Allowed } from '../../restriction.ts';
import { graphCandidates } from '../ann.ts';
import { decodeVector, type Neighbour, type VectorEngine, type VectorModel } from './engine.ts';

/** With a filter, how many graph candidates are read per result wanted. */
const FILTER_OVERSAMPLING = 8;
/** With a restriction, the distance to each paper passing is computed when at most this many per result wanted pass. */
const EXACT_SCAN_PER_RESULT = 20;

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
    // `+paper_id`: a condition to check on each row, not a list of papers to look up one by one.
    .$call((q) => allowed.reduce((acc, a) => acc.where(sql<number>`+paper_id`, 'in', a), q))
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
  stored: sql<Uint8Array | null>`paper_embedding.vector`,
  read: decodeVector,
  prepareModel: async () => {},
  afterActivation: async () => {},
  restrict: (database, restriction, limit) => passingWhenFew(database, restriction, limit * EXACT_SCAN_PER_RESULT),

  async nearest(database, model, query, limit, restriction) {
    const { allowed = [], few } = await sqliteVectors.restrict(database, restriction, limit);
    if (few) return scan(database, model, query, limit, [], few);
    // The graph's candidates, re-scored exactly: twice the number wanted, as int8 distances swap
    // near ties; with a restriction more, then ten times more (the nearest papers may be the very
    // ones it rules out: "-compression" near the papers on compression) before every vector is read.
    const oversampled = Math.max(limit * FILTER_OVERSAMPLING, 400);
    const depths = allowed.length ? [oversampled, oversampled * 10] : [limit * 2];
    for (const depth of depths) {
      const candidates = await graphCandidates(database, model, query, depth);
      if (!candidates) break; // the graph is not ready
      const found = candidates.length ? await scan(database, model, query, limit, allowed, candidates) : [];
      if (found.length >= limit || allowed.length === 0 || candidates.length < depth) return found;
    }
    return scan(database, model, query, limit, allowed);
  },
};
