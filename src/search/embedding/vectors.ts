// Embedding models and their vectors in the database: storing, reading, activating and retiring
// them, and whether this database can search vectors at all (nearest.ts searches them).
import { sql } from 'kysely';
import type { Database } from '../../storage/db.ts';
import { vectorEngine } from './dialect/engines.ts';

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
/**
 * Makes the model the one searched, in one transaction: the previous model and its vectors go. On
 * PostgreSQL its vector index is built first, so searches move to a model that is ready for them.
 */
export async function activateModel(database: Database, id: number, dimensions: number): Promise<void> {
  const engine = vectorEngine(database);
  await engine.prepareModel(database, { id, dimensions }, await countVectors(database, id));
  await database.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('embedding_model').where('id', '!=', id).where('state', '!=', 'building').execute();
    await tx.updateTable('embedding_model').set({ state: 'active', activated_at: new Date().toISOString() }).where('id', '=', id).execute();
  });
  await engine.afterActivation(database);
}

export async function retireModel(database: Database, id: number): Promise<void> {
  await database.db.deleteFrom('embedding_model').where('id', '=', id).execute();
}

export const NO_PGVECTOR =
  'this PostgreSQL server has no pgvector extension: vectors are stored but semantic and hybrid search fall back to keyword search. Install pgvector (e.g. the postgresql-NN-pgvector package), run CREATE EXTENSION vector in the database, then paperboy embed.';

/** Whether this database can run nearest-neighbour queries. */
export async function canSearchVectors(database: Database): Promise<boolean> {
  return vectorEngine(database).canSearch(database);
}

export function isZero(vector: Float32Array): boolean {
  return vector.every((x) => x === 0);
}

export async function saveVectors(database: Database, modelId: number, rows: { paperId: number; vector: Float32Array }[]): Promise<void> {
  if (rows.length === 0) return;
  await database.db
    .insertInto('paper_embedding')
    .values(
      rows.map((r) => ({
        model_id: modelId,
        paper_id: r.paperId,
        vector: isZero(r.vector) ? null : vectorEngine(database).encode(r.vector),
      })),
    )
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

/** Readies a database's active model for searching (PostgreSQL: its vector index), as after a copy from another database. */
export async function prepareActiveModel(database: Database): Promise<void> {
  const active = await modelInState(database, 'active');
  if (active) await vectorEngine(database).prepareModel(database, active, await countVectors(database, active.id));
}

/** Papers the active model has no vector for yet (all of them while there is no model): the embedding backlog. */
export async function embeddingBacklog(database: Database): Promise<number> {
  const active = await modelInState(database, 'active');
  const papers = await database.db
    .selectFrom('paper')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(papers.n) - (active ? await countVectors(database, active.id) : 0);
}

export async function countVectors(database: Database, modelId: number): Promise<number> {
  const row = await database.db
    .selectFrom('paper_embedding')
    .where('model_id', '=', modelId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * About `count` of the model's vectors, spread evenly over the papers (every k-th paper id, so the
 * same ones each time): what a query's similarity to papers at random is measured on (relevance.ts).
 */
export async function sampleVectors(database: Database, modelId: number, count: number): Promise<Float32Array[]> {
  const step = Math.max(1, Math.floor((await countVectors(database, modelId)) / count));
  const engine = vectorEngine(database);
  const rows = await database.db
    .selectFrom('paper_embedding')
    .select(engine.stored.as('vector'))
    .where('model_id', '=', modelId)
    .where('vector', 'is not', null)
    .where(sql<boolean>`paper_id % ${step} = 0`)
    .limit(2 * count)
    .execute();
  return rows.map((r) => engine.read(r.vector)).filter((v): v is Float32Array => v !== null);
}

export async function vectorsOf(database: Database, modelId: number, paperIds: number[]): Promise<Map<number, Float32Array>> {
  if (paperIds.length === 0) return new Map();
  const engine = vectorEngine(database);
  const rows = await database.db
    .selectFrom('paper_embedding')
    .select(['paper_id', engine.stored.as('vector')])
    .where('model_id', '=', modelId)
    .where('paper_id', 'in', paperIds)
    .execute();
  const out = new Map<number, Float32Array>();
  for (const r of rows) {
    const v = engine.read(r.vector);
    if (v) out.set(Number(r.paper_id), v);
  }
  return out;
}
