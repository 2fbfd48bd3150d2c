// Vectors on PostgreSQL with pgvector: arrays cast to vector(N), an HNSW index per model, and an
// exact scan when a restriction lets few papers through.
import { sql, type Kysely } from 'kysely';
import type { Database, Schema } from '../../../storage/db.ts';
import { passingWhenFew, type Restriction } from '../../restriction.ts';
import type { Neighbour, VectorEngine, VectorModel } from './engine.ts';

const hnswBuildBytes = (dimensions: number) => dimensions * 4 + 1024;
/** The most memory an index build is given (maintenance_work_mem is never lowered): 1 GB, ~330k 512-d vectors. */
const HNSW_BUILD_MAX_KB = 1024 * 1024;

/**
 * An HNSW index per model, on the vectors cast to the model's fixed dimensions. pgvector builds it
 * far faster when the whole graph fits in maintenance_work_mem (64 MB by default): at 74.7k 512-d
 * vectors, 83 s instead of 271 s on PGlite. So the build is given what the graph needs, up to 1 GB.
 */
async function buildVectorIndex(database: Database, id: number, dimensions: number, vectors: number): Promise<void> {
  const neededKb = Math.ceil((vectors * hnswBuildBytes(dimensions)) / 1024);
  await database.db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('maintenance_work_mem', greatest(setting::bigint, ${Math.min(neededKb, HNSW_BUILD_MAX_KB)}) || 'kB', true)
              FROM pg_settings WHERE name = 'maintenance_work_mem'`.execute(tx);
    await sql
      .raw(
        `CREATE INDEX IF NOT EXISTS ${vectorIndexName(id)} ON paper_embedding USING hnsw ((vector::vector(${Number(dimensions)})) vector_cosine_ops) WHERE model_id = ${Number(id)}`,
      )
      .execute(tx);
  });
}

const vectorIndexName = (modelId: number) => `paper_embedding_hnsw_${Number(modelId)}`;

/** A retrained model's index would otherwise stay behind, empty but as big as ever (195 MB at 74.7k papers). */
async function dropVectorIndexesOfGoneModels(database: Database): Promise<void> {
  const models = new Set(
    (await database.db.selectFrom('embedding_model').select('id').execute()).map((m) => vectorIndexName(Number(m.id))),
  );
  const indexes = await sql<{
    name: string;
  }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'paper_embedding' AND indexname LIKE 'paper\_embedding\_hnsw\_%'`.execute(
    database.db,
  );
  for (const { name } of indexes.rows) {
    if (!models.has(name)) await database.db.schema.dropIndex(name).ifExists().execute();
  }
}

const pgvectorSeen = new WeakMap<Database, number>(); // database → when pgvector was last looked for and missing
const PGVECTOR_RECHECK_MS = 60_000;
const pgvectorFound = new WeakSet<Database>();
/** Databases whose pgvector (0.8 or later) can go on scanning its HNSW index until a filter lets enough rows through. */
const iterativeScans = new WeakSet<Database>();

/** Whether pgvector here (0.8 or later, once hasPgvector found it) scans on until a filter lets enough rows through. */
export function scansIteratively(database: Database): boolean {
  return iterativeScans.has(database);
}

/**
 * Whether PostgreSQL can search vectors (the pgvector extension is installed in this database).
 * Searches ask on every request, so the answer is kept: once found, for good; when missing, for a
 * minute, so that an extension installed while the server runs is picked up without a restart.
 */
export async function hasPgvector(database: Database): Promise<boolean> {
  if (pgvectorFound.has(database)) return true;
  if (Date.now() - (pgvectorSeen.get(database) ?? -Infinity) < PGVECTOR_RECHECK_MS) return false;
  const row = await sql<{ version: string }>`SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'`.execute(database.db);
  const version = row.rows[0]?.version;
  if (version) {
    pgvectorFound.add(database);
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major > 0 || minor >= 8) iterativeScans.add(database);
  } else pgvectorSeen.set(database, Date.now());
  return pgvectorFound.has(database);
}

/** With a restriction, PostgreSQL computes every distance when at most this many papers per result wanted pass. */
const EXACT_SCAN_PER_RESULT = 20;

/**
 * On PostgreSQL with a restriction, the papers let through are counted, up to EXACT_SCAN_PER_RESULT
 * per result wanted: when they are that few (a small category, an author, a rare phrase), every
 * search under the restriction computes the distance to each of them, no index; the index would
 * hand over nearest papers until enough passed, reading up to hnsw.max_scan_tuples (20,000)
 * entries (290 ms for cs.DS on PGlite). Counting stops early and reads indexes (filters: migration
 * 0012) or checks tsvectors one by one. Counted once for the searches that share a restriction
 * (hybrid search makes two).
 */
const countPassing = (database: Database, restriction: Restriction, limit: number) =>
  passingWhenFew(database, restriction, limit * EXACT_SCAN_PER_RESULT);

async function nearest(
  database: Database,
  model: VectorModel,
  query: Float32Array,
  limit: number,
  restriction: Restriction,
): Promise<Neighbour[]> {
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

/**
 * A real[] as `array_send` writes it: dimensions, a flags word and the element type, each dimension's
 * length and lower bound, then every element as its length and a big-endian float4. Read so, a
 * day's 713 vectors take 10 ms; as text, parsed to numbers, 21 ms (and 55 with the driver's parser).
 */
function readArraySend(bytes: Uint8Array | null): Float32Array | null {
  if (bytes === null) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimensions = view.getInt32(0);
  const length = dimensions === 0 ? 0 : view.getInt32(12);
  const vector = new Float32Array(length);
  for (let i = 0, at = 12 + 8 * dimensions; i < length; i++, at += 8) vector[i] = view.getFloat32(at + 4); // a vector has no NULLs: every length is 4
  return vector;
}

export const postgresVectors: VectorEngine = {
  canSearch: hasPgvector,
  encode: (vector) => Array.from(vector),
  stored: sql<Uint8Array | null>`array_send(paper_embedding.vector)`,
  read: readArraySend,
  async prepareModel(database, model, vectors) {
    if (await hasPgvector(database)) await buildVectorIndex(database, model.id, model.dimensions, vectors);
  },
  async afterActivation(database) {
    if (await hasPgvector(database)) await dropVectorIndexesOfGoneModels(database);
    // The old model's vectors are dead rows now, and the planner's statistics predate the new ones:
    // a server's autovacuum would see to both in time, PGlite has none.
    await sql`VACUUM (ANALYZE) paper_embedding`.execute(database.db);
  },
  restrict: countPassing,
  nearest,
};
