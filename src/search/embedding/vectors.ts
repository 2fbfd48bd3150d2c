// Embedding models and their vectors in the database: storing, reading, activating and retiring
// them, and whether this database can search vectors at all (nearest.ts searches them).
import { sql } from 'kysely';
import type { Database } from '../../storage/db.ts';

export interface ModelRow {
  id: number;
  provider: string;
  name: string;
  dimensions: number;
  state: 'building' | 'active' | 'retired';
  trainedOn: number | null;
}

const MODEL_COLUMNS = ['id', 'provider', 'name', 'dimensions', 'state', 'trained_on as trainedOn'] as const;

export async function modelInState(database: Database, state: 'active' | 'building'): Promise<ModelRow | undefined> {
  return database.db
    .selectFrom('embedding_model')
    .select(MODEL_COLUMNS)
    .where('state', '=', state)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function modelData(database: Database, id: number): Promise<Uint8Array | null> {
  const row = await database.db.selectFrom('embedding_model').select('data').where('id', '=', id).executeTakeFirst();
  return row?.data ?? null;
}

/** Records a new model, 'building' until every paper has its vector. */
export async function createModel(
  database: Database,
  model: { provider: string; name: string; dimensions: number; trainedOn?: number; data?: Uint8Array },
): Promise<ModelRow> {
  const row = await database.db
    .insertInto('embedding_model')
    .values({
      provider: model.provider,
      name: model.name,
      dimensions: model.dimensions,
      trained_on: model.trainedOn ?? null,
      data: model.data ?? null,
      state: 'building',
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: Number(row.id),
    provider: model.provider,
    name: model.name,
    dimensions: model.dimensions,
    state: 'building',
    trainedOn: model.trainedOn ?? null,
  };
}

/** Bytes pgvector needs per vector to build an HNSW index in memory: the vector and ~2.7 KB of graph at 512-d. */
const hnswBuildBytes = (dimensions: number) => dimensions * 4 + 1024;
/** The most memory an index build is given (maintenance_work_mem is never lowered): 1 GB, ~330k 512-d vectors. */
const HNSW_BUILD_MAX_KB = 1024 * 1024;

/**
 * Makes the model the one searched, in one transaction: the previous model and its vectors go. On
 * PostgreSQL its vector index is built first, so searches move to a model that is ready for them.
 */
export async function activateModel(database: Database, id: number, dimensions: number): Promise<void> {
  const indexed = database.dialect === 'postgres' && (await hasPgvector(database));
  if (indexed) await buildVectorIndex(database, id, dimensions);
  await database.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('embedding_model').where('id', '!=', id).where('state', '!=', 'building').execute();
    await tx.updateTable('embedding_model').set({ state: 'active', activated_at: new Date().toISOString() }).where('id', '=', id).execute();
  });
  if (indexed) await dropVectorIndexesOfGoneModels(database);
  // The old model's vectors are dead rows now, and the planner's statistics predate the new ones:
  // a server's autovacuum would see to both in time, PGlite has none.
  if (database.dialect === 'postgres') await sql`VACUUM (ANALYZE) paper_embedding`.execute(database.db);
}

/**
 * An HNSW index per model, on the vectors cast to the model's fixed dimensions. pgvector builds it
 * far faster when the whole graph fits in maintenance_work_mem (64 MB by default): at 74.7k 512-d
 * vectors, 83 s instead of 271 s on PGlite. So the build is given what the graph needs, up to 1 GB.
 */
async function buildVectorIndex(database: Database, id: number, dimensions: number): Promise<void> {
  const neededKb = Math.ceil(((await countVectors(database, id)) * hnswBuildBytes(dimensions)) / 1024);
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

export async function retireModel(database: Database, id: number): Promise<void> {
  await database.db.deleteFrom('embedding_model').where('id', '=', id).execute();
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
  if (database.dialect !== 'postgres') return false;
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

export const NO_PGVECTOR =
  'this PostgreSQL server has no pgvector extension: vectors are stored but semantic and hybrid search fall back to keyword search. Install pgvector (e.g. the postgresql-NN-pgvector package), run CREATE EXTENSION vector in the database, then paperboy embed.';

/** Whether this database can run nearest-neighbour queries. */
export async function canSearchVectors(database: Database): Promise<boolean> {
  return database.dialect === 'sqlite' || (await hasPgvector(database));
}

function encode(database: Database, vector: Float32Array | null): Uint8Array | number[] | null {
  if (!vector) return null;
  return database.dialect === 'sqlite' ? new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength) : Array.from(vector);
}

function decode(value: Uint8Array | number[] | null): Float32Array | null {
  if (value === null) return null;
  if (Array.isArray(value)) return Float32Array.from(value);
  return new Float32Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
}

export function isZero(vector: Float32Array): boolean {
  return vector.every((x) => x === 0);
}

export async function saveVectors(database: Database, modelId: number, rows: { paperId: number; vector: Float32Array }[]): Promise<void> {
  if (rows.length === 0) return;
  await database.db
    .insertInto('paper_embedding')
    .values(rows.map((r) => ({ model_id: modelId, paper_id: r.paperId, vector: encode(database, isZero(r.vector) ? null : r.vector) })))
    .onConflict((oc) => oc.columns(['model_id', 'paper_id']).doUpdateSet((eb) => ({ vector: eb.ref('excluded.vector') })))
    .execute();
}

/** The papers with no vector of the model yet, in id order after `afterId`. */
export async function papersWithoutVector(
  database: Database,
  modelId: number,
  afterId: number,
  limit: number,
): Promise<{ id: number; title: string; abstract: string }[]> {
  return database.db
    .selectFrom('paper')
    .leftJoin('paper_embedding as e', (join) => join.onRef('e.paper_id', '=', 'paper.id').on('e.model_id', '=', modelId))
    .where('e.paper_id', 'is', null)
    .where('paper.id', '>', afterId)
    .select(['paper.id', 'paper.title', 'paper.abstract'])
    .orderBy('paper.id')
    .limit(limit)
    .execute();
}

export async function countVectors(database: Database, modelId: number): Promise<number> {
  const row = await database.db
    .selectFrom('paper_embedding')
    .where('model_id', '=', modelId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The model's vectors of papers after `afterId`, in paper id order: how the in-memory graph (ann.ts) is filled. */
export async function vectorsAfter(
  database: Database,
  modelId: number,
  afterId: number,
  limit: number,
): Promise<{ paperId: number; vector: Float32Array }[]> {
  const rows = await database.db
    .selectFrom('paper_embedding')
    .select(['paper_id', 'vector'])
    .where('model_id', '=', modelId)
    .where('paper_id', '>', afterId)
    .where('vector', 'is not', null)
    .orderBy('paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paperId: Number(r.paper_id), vector: decode(r.vector)! }));
}

export async function vectorsOf(database: Database, modelId: number, paperIds: number[]): Promise<Map<number, Float32Array>> {
  if (paperIds.length === 0) return new Map();
  const rows = await database.db
    .selectFrom('paper_embedding')
    .select(['paper_id', 'vector'])
    .where('model_id', '=', modelId)
    .where('paper_id', 'in', paperIds)
    .execute();
  const out = new Map<number, Float32Array>();
  for (const r of rows) {
    const v = decode(r.vector);
    if (v) out.set(Number(r.paper_id), v);
  }
  return out;
}
