// Approximate nearest neighbours on SQLite. sqlite-vec only scans (130 ms per query over 74.7k
// 512-d vectors, two scans per hybrid search), so the server keeps an HNSW graph (usearch, int8)
// of the active model's vectors in memory: about 1.5 ms a query. The graph is built from the
// database in the background, in slices so that requests keep being answered; until it is
// complete, and for filtered searches it cannot fill, nearest() scans exactly as before.
// Candidates are re-scored with the stored float32 vectors, so scores are exact either way.
// A finished graph is saved beside the database file (DB-graph-mMODEL.usearch, with a small JSON
// saying where it stops and its SHA-256), so a restart loads it in a moment and only adds what
// is new, instead of rebuilding: 11 s at 74.7k papers, 10 minutes at a million. usearch crashes the
// process on a damaged file, so a file whose digest does not match is never loaded.
// PostgreSQL needs none of this: pgvector keeps its own HNSW index.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Database } from '../../storage/db.ts';
import { decodeVector, type VectorModel } from './dialect/engine.ts';

// usearch's ES module cannot find its native build; its CommonJS entry can.
const usearch = createRequire(import.meta.url)('usearch') as typeof import('usearch').default;
type Index = InstanceType<typeof usearch.Index>;

/** Vectors read and added per slice: about 70 ms of work on two cores between two requests. */
const SLICE = 500;
/** Beyond this many vectors added since the graph was complete, they are added in the background. */
const MAX_CATCH_UP = 2_000;

interface Graph {
  modelId: number;
  index: Index;
  lastPaperId: number; // vectors are added in paper id order; new papers have higher ids
  complete: boolean;
  growing: boolean; // a background build is running
  savedSize: number; // vectors in the copy on disk
}

/** Where a model's graph is kept, beside the SQLite file; null for databases without one. */
function graphFile(database: Database, modelId: number): string | null {
  return database.file ? `${database.file}-graph-m${modelId}.usearch` : null;
}

interface SavedNote {
  lastPaperId: number;
  size: number;
  sha256: string;
}

async function digest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Loads the saved graph of the model, if there is a sound one, and where it stops. */
async function loadSaved(database: Database, graph: Graph): Promise<void> {
  const file = graphFile(database, graph.modelId);
  if (!file || !existsSync(file) || !existsSync(`${file}.json`)) return;
  try {
    const saved = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as SavedNote;
    if (saved.sha256 !== (await digest(file))) throw new Error('not the file that was saved');
    graph.index.load(file);
    if (graph.index.size() !== saved.size) throw new Error('size does not match');
    graph.lastPaperId = saved.lastPaperId;
    graph.savedSize = saved.size;
  } catch {
    // Unreadable or from another build: start over (the index object may be half-loaded).
    rmSync(file, { force: true });
    rmSync(`${file}.json`, { force: true });
    graph.index = newIndex(graph.index.dimensions());
  }
}

/** Saves the graph when it has grown since the last save, and removes other models' graphs. */
async function save(database: Database, graph: Graph): Promise<void> {
  const file = graphFile(database, graph.modelId);
  if (!file || graph.index.size() === graph.savedSize) return;
  // Written under temporary names and renamed, so a crash mid-save leaves the old copy whole.
  graph.index.save(`${file}.tmp`);
  const note: SavedNote = { lastPaperId: graph.lastPaperId, size: graph.index.size(), sha256: await digest(`${file}.tmp`) };
  writeFileSync(`${file}.json.tmp`, JSON.stringify(note));
  rmSync(`${file}.json`, { force: true }); // the index and its note change together: no note, no trust
  renameSync(`${file}.tmp`, file);
  renameSync(`${file}.json.tmp`, `${file}.json`);
  graph.savedSize = note.size;
  const prefix = `${basename(database.file!)}-graph-m`;
  for (const name of readdirSync(dirname(file))) {
    if (name.startsWith(prefix) && !name.startsWith(basename(file))) rmSync(join(dirname(file), name), { force: true });
  }
}

function newIndex(dimensions: number): Index {
  return new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.I8,
    connectivity: 16,
    expansion_add: 128,
    expansion_search: 256,
    multi: false,
  });
}

/** The model's vectors of papers after `afterId`, in paper id order: how the graph is filled. */
async function vectorsAfter(
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
  return rows.map((r) => ({ paperId: Number(r.paper_id), vector: decodeVector(r.vector as Uint8Array)! })); // the graph is SQLite's: float32 bytes
}

const graphs = new WeakMap<Database, Graph>();

/** Adds the next vectors of the model to the graph; how many were added. */
async function addSlice(database: Database, graph: Graph, dimensions: number, limit: number): Promise<number> {
  const rows = await vectorsAfter(database, graph.modelId, graph.lastPaperId, limit);
  if (rows.length === 0) return 0;
  const keys = new BigUint64Array(rows.length);
  const matrix = new Float32Array(rows.length * dimensions);
  rows.forEach((row, i) => {
    keys[i] = BigInt(row.paperId);
    matrix.set(row.vector, i * dimensions);
  });
  graph.index.add(keys, matrix, 0);
  graph.lastPaperId = rows.at(-1)!.paperId;
  return rows.length;
}

function grow(database: Database, graph: Graph, dimensions: number): void {
  if (graph.growing) return;
  graph.growing = true;
  graph.complete = false;
  void (async () => {
    if (graph.index.size() === 0) await loadSaved(database, graph);
    while ((await addSlice(database, graph, dimensions, SLICE)) > 0) await new Promise((resolve) => setImmediate(resolve));
    graph.complete = true;
    await save(database, graph);
  })()
    .catch(() => graphs.delete(database)) // the database closed or the model went: start afresh next time
    .finally(() => (graph.growing = false));
}

/**
 * The graph of the model, brought up to date with vectors added since; null while it is being
 * built (the caller scans instead).
 */
async function readyGraph(database: Database, model: VectorModel): Promise<Graph | null> {
  let graph = graphs.get(database);
  if (!graph || graph.modelId !== model.id) {
    graph = { modelId: model.id, index: newIndex(model.dimensions), lastPaperId: 0, complete: false, growing: false, savedSize: 0 };
    graphs.set(database, graph);
    grow(database, graph, model.dimensions);
    return null;
  }
  if (!graph.complete) return null;
  // New papers embedded since: a few are added now, a backlog in the background.
  if ((await addSlice(database, graph, model.dimensions, MAX_CATCH_UP)) === MAX_CATCH_UP) {
    grow(database, graph, model.dimensions);
    return null;
  }
  return graph;
}

/**
 * Candidate papers near the query: `count` ids from the graph, nearest first, or null when the
 * graph is not ready.
 */
export async function graphCandidates(
  database: Database,
  model: VectorModel,
  query: Float32Array,
  count: number,
): Promise<number[] | null> {
  const graph = await readyGraph(database, model);
  if (!graph) return null;
  if (graph.index.size() === 0) return [];
  const found = graph.index.search(query, Math.min(count, graph.index.size()), 0) as InstanceType<typeof usearch.Matches>;
  return Array.from(found.keys, Number);
}
