// The papers nearest a query vector. On SQLite: the in-memory HNSW graph's candidates (ann.ts)
// re-scored exactly with sqlite-vec's distance function; on PostgreSQL: pgvector's HNSW index, or an
// exact scan when a restriction lets few papers through. Vectors are unit length, so cosine
// similarity is the score on both.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database, Schema } from '../../storage/db.ts';
import { graphCandidates } from './ann.ts';
import { hasPgvector, isZero, scansIteratively, type ModelRow } from './vectors.ts';

export type Allowed = SelectQueryBuilder<Schema, 'paper', { id: number }>;

/**
 * The papers a vector search may return: those in every `allowed` subquery (the filters, and the
 * query's required and excluded words). `few`, once counted (countPassing): the papers passing, when
 * they are few; null when they are many.
 */
export interface Restriction {
  allowed?: Allowed[];
  few?: number[] | null;
}

/** With a restriction, PostgreSQL computes every distance when at most this many papers per result wanted pass. */
const EXACT_SCAN_PER_RESULT = 20;

/** With a filter, how many graph candidates are read per result wanted. */
const FILTER_OVERSAMPLING = 8;

/** Exact cosine similarity with sqlite-vec, over every vector of the model or over the candidates given. */
async function scanSqlite(
  database: Database,
  model: ModelRow,
  query: Float32Array,
  limit: number,
  allowed: Allowed[],
  among?: number[],
): Promise<{ id: number; score: number }[]> {
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

/**
 * On PostgreSQL with a restriction, the papers let through are counted, up to EXACT_SCAN_PER_RESULT
 * per result wanted: when they are that few (a small category, an author, a rare phrase), every
 * search under the restriction computes the distance to each of them, no index; the index would
 * hand over nearest papers until enough passed, reading up to hnsw.max_scan_tuples (20,000)
 * entries (290 ms for cs.DS on PGlite). Counting stops early and reads indexes (filters: migration
 * 0012) or checks tsvectors one by one. Counted once for the searches that share a restriction
 * (hybrid search makes two).
 */
export async function countPassing(database: Database, restriction: Restriction, limit: number): Promise<Restriction> {
  const { allowed = [] } = restriction;
  if (database.dialect !== 'postgres' || allowed.length === 0 || restriction.few !== undefined) return restriction;
  const cap = limit * EXACT_SCAN_PER_RESULT;
  const [first, ...rest] = allowed; // read from the first set: as `paper.id IN (…)` the planner may scan every paper
  const passing = await rest
    .reduce((q, a) => q.where('passing.id', 'in', a), database.db.selectFrom(first!.as('passing')).select('passing.id'))
    .limit(cap + 1)
    .execute();
  return { ...restriction, few: passing.length <= cap ? passing.map((r) => Number(r.id)) : null };
}

/** The `limit` papers nearest the (unit) query vector, with their cosine similarity, among those the restriction allows. */
export async function nearest(
  database: Database,
  model: ModelRow,
  query: Float32Array,
  limit: number,
  restriction: Restriction = {},
): Promise<{ id: number; score: number }[]> {
  if (isZero(query)) return [];
  if (database.dialect === 'sqlite') {
    const allowed = restriction.allowed ?? [];
    // The graph's candidates, re-scored exactly: twice the number wanted, as int8 distances swap
    // near ties, and more when a filter will drop some. A scan of every vector while the graph is
    // being built or when a filter left too few.
    const candidates = await graphCandidates(
      database,
      model,
      query,
      allowed.length ? Math.max(limit * FILTER_OVERSAMPLING, 400) : limit * 2,
    );
    if (candidates) {
      const found = candidates.length ? await scanSqlite(database, model, query, limit, allowed, candidates) : [];
      if (found.length >= limit || allowed.length === 0) return found;
    }
    return scanSqlite(database, model, query, limit, allowed);
  }
  const { allowed = [], few } = await countPassing(database, restriction, limit);
  const dims = sql.raw(`vector(${Number(model.dimensions)})`);
  const literal = `[${Array.from(query).join(',')}]`;
  // The query vector is one parameter, cross-joined, rather than one for the order and one for the
  // distance: its text is then sent and parsed once (1.7 ms less per search on PGlite).
  const distance = sql<number>`(paper_embedding.vector::${dims}) <=> query.vector`;
  const vectors = (db: Kysely<Schema>) =>
    db
      .selectFrom(['paper_embedding', sql<{ vector: string }>`(SELECT ${literal}::${dims} AS vector)`.as('query')])
      .where('model_id', '=', model.id)
      .where('paper_embedding.vector', 'is not', null);

  if (few) {
    if (few.length === 0) return [];
    const scored = vectors(database.db)
      .where('paper_id', '=', sql<number>`ANY(${few})`)
      .select(['paper_id as id', distance.as('distance')]);
    // OFFSET 0 keeps the order out of the subquery, where it could make the planner take the index.
    const rows = await database.db
      .selectFrom(scored.offset(0).as('few'))
      .select(['few.id', 'few.distance'])
      .orderBy('few.distance')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), score: 1 - Number(r.distance) }));
  }
  const iterative = allowed.length > 0 && (await hasPgvector(database)) && scansIteratively(database);
  // HNSW returns at most ef_search rows: raise it to the number wanted (SET LOCAL lasts the transaction).
  return database.db.transaction().execute(async (tx) => {
    await sql.raw(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.max(40, limit))}`).execute(tx);
    // With a filter, the ef_search candidates are filtered after the index scan: a category holding
    // 5% of the papers would leave about 5 of 101. pgvector 0.8 scans on, in order, until enough
    // pass (at most hnsw.max_scan_tuples, 20,000 by default); older ones return what is left.
    if (iterative) await sql.raw('SET LOCAL hnsw.iterative_scan = strict_order').execute(tx);
    const rows = await vectors(tx)
      // Many papers pass: each subquery is asked about each paper as the index hands it over, as a
      // scalar subquery (never made a join). As `paper_id IN (…)` the planner would work out every
      // paper first (20k tsvectors for "large language models": 260 ms on PGlite; this way, 7), or
      // sort the distances of every paper a month allows rather than read the index.
      .$call((q) =>
        allowed.reduce(
          (acc, a) =>
            acc.where(sql<boolean>`(SELECT 1 FROM (${a}) AS allowed WHERE allowed.id = paper_embedding.paper_id LIMIT 1) IS NOT NULL`),
          q,
        ),
      )
      .select(['paper_id as id', distance.as('distance')])
      .orderBy(distance)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), score: 1 - Number(r.distance) }));
  });
}
