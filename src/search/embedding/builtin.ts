// The built-in embedder, learned from the instance's own papers so that it works offline with
// nothing to download. Two stages:
//  1. latent semantic analysis: each paper (title + abstract) as a TF-IDF vector over Porter-stemmed
//     words, and a randomized truncated SVD of the paper × word matrix for the directions that
//     explain most of it. Words that appear together land near each other.
//  2. contrastive training (contrastive.ts), starting from those word directions and adding word
//     pairs ("kv cache", "language model"): a paper's title and a sentence of its abstract learn to
//     land near the rest of the paper and away from other papers.
// A text's embedding is the sum of its words' and word pairs' vectors, each weighed by
// (1 + log count) × the token's weight, unit length. docs/search.md has the variants tried and
// their figures.
import { stemmer } from 'stemmer';
import { STOP_WORDS, words } from '../query.ts';
import {
  bagOf,
  CONTRASTIVE_DEFAULTS,
  trainContrastive,
  trainingPaper,
  type Bag,
  type ContrastiveOptions,
  type Encoder,
} from './contrastive.ts';
import { truncatedSvd, type Sparse } from './linalg.ts';

export const BUILTIN_DIMENSIONS = 256;
/**
 * What the stored model is called: a model of another name is retrained (job.ts), so the name
 * changes with the recipe and an instance relearns in the background when an upgrade changes it.
 */
export const BUILTIN_NAME = `dual-${BUILTIN_DIMENSIONS}-e${CONTRASTIVE_DEFAULTS.epochs}`;
/** Training uses at most this many papers (a sample spread over the corpus): time and memory stay bounded. */
export const MAX_TRAINING_PAPERS = 100_000;
const MIN_DOCUMENT_FREQUENCY = 3; // rarer words are mostly typos and one-off names
const MAX_DOCUMENT_SHARE = 0.5; // commoner ones carry no topic
const MIN_PAIR_FREQUENCY = 5; // word pairs in fewer papers are not learned
const MAX_PAIRS = 100_000;

/**
 * Tokens are stems, then word pairs (two stems joined by a space). Vectors are rows of `vectors`
 * (float32 while training; int8 times the row's scale once stored).
 */
export interface BuiltinModel {
  vocabulary: string[];
  weights: Float32Array;
  vectors: Float32Array | Int8Array;
  /** Per row, for int8 vectors. */
  scales?: Float32Array;
  dimensions: number;
}

const stems = new Map<string, string>();
/** Lower-cased, accent-folded, stemmed words; stop words and bare numbers out. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || STOP_WORDS.has(w) || /^\d+$/.test(w)) continue;
    let stem = stems.get(w);
    if (stem === undefined) {
      stem = stemmer(w);
      if (stems.size < 200_000) stems.set(w, stem);
    }
    out.push(stem);
  }
  return out;
}

/** Sentences, so that word pairs never span two of them. */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z])|\n/)
    .filter((s) => s.trim());
}

/** A text's known words and word pairs, with their counts. */
export function bag(text: string, index: Map<string, number>): Bag {
  const raw = new Map<number, number>();
  const add = (id: number | undefined) => id !== undefined && raw.set(id, (raw.get(id) ?? 0) + 1);
  for (const sentence of sentences(text)) {
    const t = terms(sentence);
    for (let i = 0; i < t.length; i++) {
      add(index.get(t[i]!));
      if (i > 0) add(index.get(`${t[i - 1]} ${t[i]}`));
    }
  }
  return bagOf(raw);
}

/** Stage 1: the vocabulary, its idf and the LSA word directions (vocabulary × dimensions). */
function lsa(texts: string[], dimensions: number): { vocabulary: string[]; idf: Float32Array; directions: Float32Array; k: number } {
  const seen = new Map<string, number>();
  const documents: Map<number, number>[] = texts.map((text) => {
    const tf = new Map<number, number>();
    for (const t of terms(text)) {
      let id = seen.get(t);
      if (id === undefined) seen.set(t, (id = seen.size));
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return tf;
  });
  const df = new Int32Array(seen.size);
  for (const tf of documents) for (const id of tf.keys()) df[id]!++;
  const vocabulary: string[] = [];
  const remap = new Int32Array(seen.size).fill(-1);
  for (const [term, id] of seen) {
    if (df[id]! >= MIN_DOCUMENT_FREQUENCY && df[id]! <= documents.length * MAX_DOCUMENT_SHARE) {
      remap[id] = vocabulary.length;
      vocabulary.push(term);
    }
  }
  if (vocabulary.length < 2 || documents.length < 2)
    throw new Error(`too few papers to learn from (${documents.length} papers, ${vocabulary.length} words)`);
  const idf = new Float32Array(vocabulary.length);
  for (const [, id] of seen) if (remap[id]! >= 0) idf[remap[id]!] = Math.log(documents.length / df[id]!);

  // The paper × word TF-IDF matrix ((1 + log tf) · idf, unit rows), in compressed sparse rows.
  const rows = documents.map((tf) => {
    const ids = [...tf.keys()].filter((id) => remap[id]! >= 0).sort((a, b) => remap[a]! - remap[b]!);
    const weights = ids.map((id) => (1 + Math.log(tf.get(id)!)) * idf[remap[id]!]!);
    const norm = Math.hypot(...weights) || 1;
    return { ids: ids.map((id) => remap[id]!), weights: weights.map((w) => w / norm) };
  });
  documents.length = 0;
  const nnz = rows.reduce((sum, r) => sum + r.ids.length, 0);
  const matrix: Sparse = {
    rows: rows.length,
    cols: vocabulary.length,
    indptr: new Int32Array(rows.length + 1),
    indices: new Int32Array(nnz),
    values: new Float32Array(nnz),
  };
  let p = 0;
  rows.forEach((r, i) => {
    matrix.indices.set(r.ids, p);
    matrix.values.set(r.weights, p);
    p += r.ids.length;
    matrix.indptr[i + 1] = p;
  });
  const { v } = truncatedSvd(matrix, Math.min(dimensions, vocabulary.length - 1, rows.length - 1), { powerIterations: 1 });
  return { vocabulary, idf, directions: v.data, k: v.cols };
}

/** Word pairs in at least MIN_PAIR_FREQUENCY papers, the commonest MAX_PAIRS, with their idf. */
function wordPairs(texts: string[], known: Set<string>, maxPairs: number): { pairs: string[]; idf: number[] } {
  const df = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const sentence of sentences(text)) {
      const t = terms(sentence);
      for (let i = 1; i < t.length; i++) if (known.has(t[i - 1]!) && known.has(t[i]!)) seen.add(`${t[i - 1]} ${t[i]}`);
    }
    for (const pair of seen) df.set(pair, (df.get(pair) ?? 0) + 1);
  }
  const kept = [...df]
    .filter(([, n]) => n >= MIN_PAIR_FREQUENCY)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxPairs);
  return { pairs: kept.map(([pair]) => pair), idf: kept.map(([, n]) => Math.log(texts.length / n)) };
}

export interface TrainingOptions {
  dimensions?: number;
  maxPairs?: number;
  contrastive?: Partial<ContrastiveOptions>;
  onProgress?: (done: number, total: number) => void;
}

/** Learns the model from papers' texts (title, a line break, abstract). */
export async function trainBuiltin(source: AsyncIterable<string> | Iterable<string>, options: TrainingOptions = {}): Promise<BuiltinModel> {
  const texts: string[] = [];
  for await (const text of source) texts.push(text);
  const { vocabulary, idf, directions, k } = lsa(texts, options.dimensions ?? BUILTIN_DIMENSIONS);
  const { pairs, idf: pairIdf } = wordPairs(texts, new Set(vocabulary), options.maxPairs ?? MAX_PAIRS);
  const tokens = [...vocabulary, ...pairs];
  const index = new Map(tokens.map((t, i) => [t, i]));

  // LSA's directions, scaled to rows of length one on average (Adam's steps are of a fixed size);
  // word pairs start at zero and are weighed by their idf.
  const encoder: Encoder = { dimensions: k, vectors: new Float32Array(tokens.length * k), weights: new Float32Array(tokens.length) };
  let lengths = 0;
  for (let i = 0; i < vocabulary.length; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += directions[i * k + c]! ** 2;
    lengths += Math.sqrt(sum);
  }
  const scale = vocabulary.length / (lengths || 1);
  for (let i = 0; i < directions.length; i++) encoder.vectors[i] = directions[i]! * scale;
  encoder.weights.set(idf);
  encoder.weights.set(pairIdf, vocabulary.length);

  const papers = texts.map((text) => {
    const [title = '', ...rest] = text.split('\n');
    return trainingPaper(
      bag(title, index),
      sentences(rest.join(' ')).map((s) => bag(s, index)),
    );
  });
  texts.length = 0;
  trainContrastive(encoder, papers, { ...CONTRASTIVE_DEFAULTS, ...options.contrastive, onProgress: options.onProgress });
  return prune({ vocabulary: tokens, weights: encoder.weights, vectors: encoder.vectors, dimensions: k });
}

/** Drops the tokens that can add nothing: a zero weight or a zero vector (pairs no batch used). */
function prune(model: BuiltinModel): BuiltinModel {
  const d = model.dimensions;
  const keep: number[] = [];
  model.vocabulary.forEach((_, i) => {
    if (model.weights[i] === 0) return;
    for (let c = 0; c < d; c++) if (model.vectors[i * d + c] !== 0) return void keep.push(i);
  });
  const vectors = new Float32Array(keep.length * d);
  keep.forEach((i, j) => vectors.set(model.vectors.subarray(i * d, (i + 1) * d), j * d));
  return {
    vocabulary: keep.map((i) => model.vocabulary[i]!),
    weights: Float32Array.from(keep, (i) => model.weights[i]!),
    vectors,
    dimensions: d,
  };
}

/** A text's embedding: its tokens' vectors weighed and summed, unit length (zero if no known token). */
export function embedWithBuiltin(model: BuiltinModel, text: string, index: Map<string, number>): Float32Array {
  const d = model.dimensions;
  const out = new Float32Array(d);
  const { ids, counts } = bag(text, index);
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j]!;
    const a = counts[j]! * model.weights[id]! * (model.scales ? model.scales[id]! : 1);
    const row = id * d;
    for (let c = 0; c < d; c++) out[c]! += a * model.vectors[row + c]!;
  }
  return normalize(out);
}

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i]! *= scale;
  }
  return v;
}

/**
 * The model as bytes for the database: a JSON header line (format, vocabulary, dimensions), then
 * the weights and the rows' scales as float32, then the vectors as int8 (a quarter of float32's size;
 * search quality is the same to three decimals).
 */
export function serializeBuiltin(model: BuiltinModel): Buffer {
  const d = model.dimensions;
  const n = model.vocabulary.length;
  const scales = new Float32Array(n);
  const vectors = new Int8Array(n * d);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let c = 0; c < d; c++) max = Math.max(max, Math.abs(model.vectors[i * d + c]!));
    const scale = max / 127 || 1;
    scales[i] = scale * (model.scales?.[i] ?? 1);
    for (let c = 0; c < d; c++) vectors[i * d + c] = Math.round(model.vectors[i * d + c]! / scale);
  }
  const header = Buffer.from(`${JSON.stringify({ format: 2, vocabulary: model.vocabulary, dimensions: d })}\n`);
  const pad = Buffer.alloc((4 - (header.length % 4)) % 4, 0x20); // float32 data 4-byte aligned
  const floats = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([
    header,
    pad,
    floats(model.weights),
    floats(scales),
    Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength),
  ]);
}

/** A stored model: format 2 (int8 vectors, word pairs), or format 1 (LSA: idf and float32 directions). */
export function deserializeBuiltin(bytes: Uint8Array): BuiltinModel {
  const end = bytes.indexOf(0x0a);
  const header = JSON.parse(Buffer.from(bytes.subarray(0, end)).toString('utf8')) as {
    format?: number;
    vocabulary: string[];
    dimensions: number;
  };
  const { vocabulary, dimensions } = header;
  const start = Math.ceil((end + 1) / 4) * 4;
  const body = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.byteLength);
  const n = vocabulary.length;
  if (header.format === 2) {
    if (body.byteLength !== n * 8 + n * dimensions) throw new Error('the stored built-in model is damaged');
    const floats = new Float32Array(body, 0, 2 * n);
    return { vocabulary, dimensions, weights: floats.subarray(0, n), scales: floats.subarray(n), vectors: new Int8Array(body, 8 * n) };
  }
  const floats = new Float32Array(body);
  if (floats.length !== n * (1 + dimensions)) throw new Error('the stored built-in model is damaged');
  return { vocabulary, dimensions, weights: floats.subarray(0, n), vectors: floats.subarray(n) };
}
