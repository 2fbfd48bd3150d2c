// The built-in embedder: latent semantic analysis learned from the instance's own papers, so it
// works offline with nothing to download. Each paper (title + abstract) becomes a TF-IDF vector
// over Porter-stemmed words ((1 + log tf) · idf, unit length); a randomized truncated SVD of the
// paper × word matrix gives the 256 directions that explain most of it; a text's embedding is its
// TF-IDF vector projected on them, unit length. Words that appear together land near each other,
// so "kv cache compression" comes close to papers on KV-cache eviction and quantization.
// docs/search.md has the approaches tried and their figures.
import { stemmer } from 'stemmer';
import { STOP_WORDS, words } from '../query.ts';
import { truncatedSvd, type Sparse } from './linalg.ts';

export const BUILTIN_DIMENSIONS = 512;
/** Training uses at most this many papers (a sample spread over the corpus): time and memory stay bounded. */
export const MAX_TRAINING_PAPERS = 100_000;
const MIN_DOCUMENT_FREQUENCY = 3; // rarer words are mostly typos and one-off names
const MAX_DOCUMENT_SHARE = 0.5; // commoner ones carry no topic

export interface BuiltinModel {
  vocabulary: string[];
  idf: Float32Array;
  /** vocabulary.length × dimensions, row-major: each word's coordinates. */
  projection: Float32Array;
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

/** Counts of each term id; unknown terms are skipped. */
function counts(text: string, index: Map<string, number>): Map<number, number> {
  const tf = new Map<number, number>();
  for (const t of terms(text)) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  return tf;
}

/** (1 + log tf) · idf, as sorted term ids and unit-length weights. */
function tfidf(tf: Map<number, number>, idf: Float32Array): { ids: number[]; weights: number[] } {
  const ids = [...tf.keys()].sort((a, b) => a - b);
  const weights = ids.map((i) => (1 + Math.log(tf.get(i)!)) * idf[i]!);
  const norm = Math.hypot(...weights) || 1;
  return { ids, weights: weights.map((w) => w / norm) };
}

/** Learns the model from papers' texts (title and abstract), read one at a time. */
export async function trainBuiltin(
  texts: AsyncIterable<string> | Iterable<string>,
  dimensions = BUILTIN_DIMENSIONS,
): Promise<BuiltinModel> {
  // Term ids for every word seen, then the vocabulary: words in at least 3 papers and at most half.
  const seen = new Map<string, number>();
  const documents: Map<number, number>[] = [];
  for await (const text of texts) {
    const tf = new Map<number, number>();
    for (const t of terms(text)) {
      let id = seen.get(t);
      if (id === undefined) seen.set(t, (id = seen.size));
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    documents.push(tf);
  }
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

  // The paper × word TF-IDF matrix, in compressed sparse rows.
  const rows = documents.map((tf) => {
    const kept = new Map<number, number>();
    for (const [id, n] of tf) if (remap[id]! >= 0) kept.set(remap[id]!, n);
    return tfidf(kept, idf);
  });
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
  documents.length = 0; // free the counts before the SVD's work matrices
  const { v } = truncatedSvd(matrix, Math.min(dimensions, vocabulary.length - 1, rows.length - 1), { powerIterations: 1 });
  return { vocabulary, idf, projection: v.data, dimensions: v.cols };
}

/** A text's embedding: its TF-IDF vector projected on the model's directions, unit length (zero if no known word). */
export function embedWithBuiltin(model: BuiltinModel, text: string, index: Map<string, number>): Float32Array {
  const k = model.dimensions;
  const out = new Float32Array(k);
  const { ids, weights } = tfidf(counts(text, index), model.idf);
  ids.forEach((id, j) => {
    const w = weights[j]!;
    const o = id * k;
    for (let c = 0; c < k; c++) out[c]! += w * model.projection[o + c]!;
  });
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

/** The model as bytes for the database: a JSON header line (vocabulary), then idf and projection as float32. */
export function serializeBuiltin(model: BuiltinModel): Buffer {
  const header = Buffer.from(`${JSON.stringify({ vocabulary: model.vocabulary, dimensions: model.dimensions })}\n`);
  const pad = Buffer.alloc((4 - (header.length % 4)) % 4, 0x20); // float32 data 4-byte aligned
  return Buffer.concat([
    header,
    pad,
    Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength),
    Buffer.from(model.projection.buffer, model.projection.byteOffset, model.projection.byteLength),
  ]);
}

export function deserializeBuiltin(bytes: Uint8Array): BuiltinModel {
  const end = bytes.indexOf(0x0a);
  const { vocabulary, dimensions } = JSON.parse(Buffer.from(bytes.subarray(0, end)).toString('utf8')) as {
    vocabulary: string[];
    dimensions: number;
  };
  const start = Math.ceil((end + 1) / 4) * 4;
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.byteLength));
  const n = vocabulary.length;
  if (floats.length !== n * (1 + dimensions)) throw new Error('the stored built-in model is damaged');
  return { vocabulary, dimensions, idf: floats.subarray(0, n), projection: floats.subarray(n) };
}
