// `paperboy embed [--retrain]` and the server's background embedding: make sure there is a model
// of the configured kind (training the built-in one from the papers when there is none, when asked,
// or when the corpus has grown by a quarter since it learned), then give every paper lacking one a
// vector of it. A new model is searched only once every paper has its vector; a run killed
// half-way resumes where it stopped, since only papers without a vector are read.
import type { Database } from '../../storage/db.ts';
import { countPapers } from '../../storage/papers.ts';
import { BUILTIN_NAME, MAX_TRAINING_PAPERS, serializeBuiltin, trainBuiltin } from './builtin.ts';
import { paperText, type Embedder, type EmbeddingSettings } from './embedder.ts';
import { embedderFor, externalEmbedder, externalModelName, modelMatches } from './providers.ts';
import {
  activateModel,
  countVectors,
  createModel,
  modelInState,
  papersWithoutVector,
  retireModel,
  saveVectors,
  type ModelRow,
} from './vectors.ts';

const BATCH = 500;
/** The built-in model is retrained once the corpus has grown by this factor since it learned. */
export const RETRAIN_GROWTH = 1.25;

export interface EmbedProgress {
  phase: 'reading' | 'training' | 'embedding';
  done: number;
  total: number;
}

export interface EmbedSummary {
  model: string;
  trained: boolean;
  embedded: number;
  activated: boolean;
}

/** Titles and abstracts to learn from: all papers, or an even sample of MAX_TRAINING_PAPERS. */
async function* trainingTexts(database: Database, total: number, onRead: (n: number) => void): AsyncGenerator<string> {
  const stride = Math.max(1, Math.ceil(total / MAX_TRAINING_PAPERS));
  let after = 0;
  let read = 0;
  for (;;) {
    const rows = await database.db
      .selectFrom('paper')
      .select(['id', 'title', 'abstract'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(5_000)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      if (read++ % stride === 0) yield paperText(row);
    }
    after = Number(rows.at(-1)!.id);
    onRead(read);
  }
}

async function trainNewModel(database: Database, total: number, onProgress: (p: EmbedProgress) => void): Promise<ModelRow> {
  const texts = trainingTexts(database, total, (done) => onProgress({ phase: 'reading', done, total }));
  const model = await trainBuiltin(texts, { onProgress: (done, steps) => onProgress({ phase: 'training', done, total: steps }) });
  return createModel(database, {
    provider: 'builtin',
    name: BUILTIN_NAME,
    dimensions: model.dimensions,
    trainedOn: total,
    data: serializeBuiltin(model),
  });
}

/** The model to fill: one being built, or a new one when needed, or the active one. */
async function targetModel(
  database: Database,
  settings: EmbeddingSettings,
  papers: number,
  retrain: boolean,
  onProgress: (p: EmbedProgress) => void,
): Promise<{ model: ModelRow; trained: boolean }> {
  const building = await modelInState(database, 'building');
  if (building && modelMatches(building, settings) && !retrain) return { model: building, trained: false };
  if (building) await retireModel(database, building.id); // a different kind was asked for, or a fresh start

  const active = await modelInState(database, 'active');
  // A built-in model learned from far fewer papers, or of an earlier kind (LSA), is learned again.
  const stale =
    active?.provider === 'builtin' &&
    ((active.trainedOn !== null && papers >= active.trainedOn * RETRAIN_GROWTH) || active.name !== BUILTIN_NAME);
  if (active && modelMatches(active, settings) && !retrain && !stale) return { model: active, trained: false };

  if (settings.EMBEDDER === 'builtin') return { model: await trainNewModel(database, papers, onProgress), trained: true };
  // An external model: ask it once for its dimensions.
  const [probe] = await externalEmbedder(settings).embed(['dimensions probe']);
  return {
    model: await createModel(database, { provider: settings.EMBEDDER, name: externalModelName(settings), dimensions: probe!.length }),
    trained: false,
  };
}

export async function embedPapers(
  database: Database,
  settings: EmbeddingSettings,
  {
    retrain = false,
    onProgress = () => {},
    signal,
  }: { retrain?: boolean; onProgress?: (p: EmbedProgress) => void; signal?: AbortSignal } = {},
): Promise<EmbedSummary> {
  if (settings.EMBEDDER === 'none') throw new Error('EMBEDDER is none: semantic search is turned off');
  const papers = await countPapers(database);
  if (papers === 0) return { model: '', trained: false, embedded: 0, activated: false };
  const { model, trained } = await targetModel(database, settings, papers, retrain, onProgress);

  // The server asks every minute, in a fresh thread, and most minutes every paper has its vector:
  // counting them says so cheaply (70 ms at 79k papers on SQLite), where looking for papers without
  // one reads every paper (0.75 s) and loading the built-in model reads 34 MB more.
  const missing = papers - (await countVectors(database, model.id));
  let embedder: Embedder | undefined;
  let embedded = 0;
  let after = 0;
  while (missing > 0) {
    if (signal?.aborted) return { model: model.name, trained, embedded, activated: false };
    const batch = await papersWithoutVector(database, model.id, after, BATCH);
    if (batch.length === 0) break;
    embedder ??= await embedderFor(database, model, settings);
    const vectors = await embedder.embed(batch.map(paperText));
    await saveVectors(
      database,
      model.id,
      batch.map((p, i) => ({ paperId: Number(p.id), vector: vectors[i]! })),
    );
    embedded += batch.length;
    after = Number(batch.at(-1)!.id);
    onProgress({ phase: 'embedding', done: embedded, total: papers });
  }
  const activated = model.state === 'building';
  if (activated) await activateModel(database, model.id, model.dimensions);
  return { model: model.name, trained, embedded, activated };
}
