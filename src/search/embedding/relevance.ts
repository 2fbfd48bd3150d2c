// Where semantic results end. Every paper is some distance from any query, so a list of nearest
// papers never runs out by itself: filtered searches and digest topics were padded with papers on
// nothing the reader asked about. A paper counts as found by meaning only when its similarity to
// the query stands out from the query's similarity to papers at random: at least RELEVANCE_Z
// standard deviations above the mean over a fixed sample of the model's papers. The sample is
// measured per query (a thousand dot products, about 0.1 ms), because queries differ: a question's
// similarities spread wider than a one-word topic's. Z is a rule, not a tuned weight: 4 keeps the
// long tail of a topic (for "diffusion", the 400th nearest paper is still on diffusion models, 4.9)
// and drops what is merely nearest among a filter's few papers ("diffusion" → a tumour-segmentation
// benchmark, about 1). `npm run eval:search` shows what it costs on labelled and known-item queries.
import type { Database } from '../../storage/db.ts';
import { sampleVectors, type ModelRow } from './vectors.ts';

const RELEVANCE_Z = 4;
const SAMPLE = 1000;
/** Below this many sampled papers the spread is not known well enough to cut anything. */
const MIN_SAMPLE = 50;
const SAMPLE_TTL_MS = 60 * 60_000;

interface Sample {
  modelId: number;
  since: number;
  vectors: Float32Array[];
}
const samples = new WeakMap<Database, Sample>();

/** A fixed sample of about a thousand of the model's papers' vectors, refreshed hourly; the same array until then. */
export async function randomSample(database: Database, model: ModelRow): Promise<Float32Array[]> {
  return (await sampleOf(database, model)).vectors;
}

async function sampleOf(database: Database, model: ModelRow): Promise<Sample> {
  let sample = samples.get(database);
  if (!sample || sample.modelId !== model.id || Date.now() - sample.since > SAMPLE_TTL_MS) {
    sample = { modelId: model.id, since: Date.now(), vectors: await sampleVectors(database, model.id, SAMPLE) };
    samples.set(database, sample);
  }
  return sample;
}

/** The lowest similarity to the (unit) query vector that counts as found by meaning; -Infinity when the sample is too small to say. */
export async function relevanceFloor(database: Database, model: ModelRow, query: Float32Array, z = RELEVANCE_Z): Promise<number> {
  const { vectors } = await sampleOf(database, model);
  if (vectors.length < MIN_SAMPLE) return -Infinity;
  let sum = 0;
  let squares = 0;
  for (const v of vectors) {
    let dot = 0;
    for (let i = 0; i < query.length; i++) dot += query[i]! * v[i]!;
    sum += dot;
    squares += dot * dot;
  }
  const mean = sum / vectors.length;
  return mean + z * Math.sqrt(Math.max(0, squares / vectors.length - mean * mean));
}
