// Contrastive training of the built-in model: a dual encoder over words and word pairs, learned from
// the instance's own papers. A text's vector is the sum of its tokens' vectors, each weighed by
// (1 + log count) × the token's learned weight, made unit length. Training pairs are a paper's title
// with its abstract, and one sentence of its abstract with the rest of it; each batch's other
// papers are the negatives (InfoNCE, both directions). The gradient is written out by hand, and
// Adam updates only the rows a batch used, so no autograd library is needed.
//
// It starts from the LSA model (builtin.ts): token vectors are LSA's word directions and weights its
// idf, so training begins where LSA stands and moves the vectors toward what tells a paper's parts
// apart from other papers'. Word pairs start at zero and learn what their words together mean
// ("language model", "kv cache"). docs/search.md has the variants tried and their figures.

/** One text as token ids and their (1 + log count) factors. */
export interface Bag {
  ids: Int32Array;
  counts: Float32Array;
}

export interface Encoder {
  dimensions: number;
  /** Token count × dimensions, row-major. */
  vectors: Float32Array;
  weights: Float32Array;
}

/** A paper's title, and its abstract's sentences packed one after another (ids, raw counts, where each ends). */
export interface TrainingPaper {
  title: Bag;
  ids: Int32Array;
  counts: Float32Array;
  ends: Int32Array;
}

/** Packs the sentences: a bag each would cost two typed arrays per sentence, a quarter of training's memory. */
export function trainingPaper(title: Bag, sentences: Bag[]): TrainingPaper {
  const size = sentences.reduce((sum, b) => sum + b.ids.length, 0);
  const paper = { title, ids: new Int32Array(size), counts: new Float32Array(size), ends: new Int32Array(sentences.length) };
  let p = 0;
  sentences.forEach((b, k) => {
    paper.ids.set(b.ids, p);
    for (let i = 0; i < b.ids.length; i++) paper.counts[p + i] = Math.exp(b.counts[i]! - 1);
    p += b.ids.length;
    paper.ends[k] = p;
  });
  return paper;
}

/** The sentences `include` picks, as one bag. */
export function sentencesBag(paper: TrainingPaper, include: (sentence: number) => boolean): Bag {
  const raw = new Map<number, number>();
  let start = 0;
  paper.ends.forEach((end, k) => {
    if (include(k)) for (let i = start; i < end; i++) raw.set(paper.ids[i]!, (raw.get(paper.ids[i]!) ?? 0) + paper.counts[i]!);
    start = end;
  });
  return bagOf(raw);
}

export interface ContrastiveOptions {
  epochs: number;
  batch: number;
  temperature: number;
  learningRate: number;
  weightLearningRate: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export const CONTRASTIVE_DEFAULTS: ContrastiveOptions = {
  epochs: 3,
  batch: 512,
  temperature: 0.05,
  learningRate: 0.005,
  weightLearningRate: 0.01,
  seed: 1,
};

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** A small fast generator (mulberry32): the same seed gives the same training. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bag from raw counts: factor 1 + log count. */
export function bagOf(raw: Map<number, number>): Bag {
  const ids = Int32Array.from(raw.keys());
  const counts = Float32Array.from(ids, (id) => 1 + Math.log(raw.get(id)!));
  return { ids, counts };
}

/** The unnormalised sum u = Σ factor · weight · vector, into `out`; returns |u|. */
function encode(encoder: Encoder, bag: Bag, out: Float32Array): number {
  const d = encoder.dimensions;
  out.fill(0);
  for (let i = 0; i < bag.ids.length; i++) {
    const id = bag.ids[i]!;
    const a = bag.counts[i]! * encoder.weights[id]!;
    if (a === 0) continue;
    const row = id * d;
    for (let c = 0; c < d; c++) out[c]! += a * encoder.vectors[row + c]!;
  }
  let sum = 0;
  for (let c = 0; c < d; c++) sum += out[c]! * out[c]!;
  return Math.sqrt(sum);
}

/** Lazily updated Adam state for the token vectors and weights. */
class Adam {
  private m: Float32Array;
  private v: Float32Array;
  private mw: Float32Array;
  private vw: Float32Array;
  private step = 0;
  constructor(
    private encoder: Encoder,
    private options: ContrastiveOptions,
  ) {
    this.m = new Float32Array(encoder.vectors.length);
    this.v = new Float32Array(encoder.vectors.length);
    this.mw = new Float32Array(encoder.weights.length);
    this.vw = new Float32Array(encoder.weights.length);
  }

  apply(rows: Int32Array, rowCount: number, grads: Float32Array, weightGrads: Float32Array) {
    this.step++;
    const d = this.encoder.dimensions;
    const c1 = 1 - BETA1 ** this.step;
    const c2 = 1 - BETA2 ** this.step;
    const lr = this.options.learningRate;
    const { vectors, weights } = this.encoder;
    for (let s = 0; s < rowCount; s++) {
      const base = rows[s]! * d;
      const g0 = s * d;
      for (let c = 0; c < d; c++) {
        const g = grads[g0 + c]!;
        const i = base + c;
        const m = (this.m[i] = BETA1 * this.m[i]! + (1 - BETA1) * g);
        const v = (this.v[i] = BETA2 * this.v[i]! + (1 - BETA2) * g * g);
        vectors[i]! -= (lr * (m / c1)) / (Math.sqrt(v / c2) + EPSILON);
      }
      const id = rows[s]!;
      const g = weightGrads[s]!;
      const m = (this.mw[id] = BETA1 * this.mw[id]! + (1 - BETA1) * g);
      const v = (this.vw[id] = BETA2 * this.vw[id]! + (1 - BETA2) * g * g);
      weights[id] = Math.max(0, weights[id]! - (this.options.weightLearningRate * (m / c1)) / (Math.sqrt(v / c2) + EPSILON));
    }
  }
}

/** The InfoNCE loss of an n × n score matrix whose diagonal holds the pairs, by rows and by columns, averaged; and its gradient. */
function symmetricInfoNce(scores: Float32Array, n: number): { loss: number; dScores: Float32Array } {
  const dScores = new Float32Array(n * n);
  let loss = 0;
  // Each row (a query against every document), then each column (a document against every query):
  // line k's entries are k·across + m·along, its pair at m = k.
  for (const [across, along] of [
    [n, 1],
    [1, n],
  ] as const) {
    for (let k = 0; k < n; k++) {
      const at = (m: number) => k * across + m * along;
      let max = -Infinity;
      for (let m = 0; m < n; m++) max = Math.max(max, scores[at(m)]!);
      let sum = 0;
      for (let m = 0; m < n; m++) sum += Math.exp(scores[at(m)]! - max);
      loss -= scores[at(k)]! - max - Math.log(sum);
      for (let m = 0; m < n; m++) dScores[at(m)]! += (Math.exp(scores[at(m)]! - max) / sum - (m === k ? 1 : 0)) / (2 * n);
    }
  }
  return { loss: loss / (2 * n), dScores };
}

/**
 * One batch: encodes the queries and documents and computes the symmetric InfoNCE loss over in-batch
 * negatives (query i's document is i), and its gradient for every token row used: `work.rows` holds
 * them, `work.grads` and `work.weightGrads` their gradients by slot. Returns the loss.
 */
export function contrastiveGradient(encoder: Encoder, queries: Bag[], documents: Bag[], temperature: number, work: Work): number {
  const d = encoder.dimensions;
  const n = queries.length;
  const texts = [...queries, ...documents];
  const unit = work.unit(2 * n * d);
  const norms = new Float32Array(2 * n);
  const u = new Float32Array(d);
  texts.forEach((bag, t) => {
    const norm = encode(encoder, bag, u);
    norms[t] = norm;
    const scale = norm > 0 ? 1 / norm : 0;
    for (let c = 0; c < d; c++) unit[t * d + c] = u[c]! * scale;
  });
  // Similarities, softmax by rows (query → its document) and by columns (document → its query).
  const tau = temperature;
  const scores = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      const qi = i * d;
      const dj = (n + j) * d;
      for (let c = 0; c < d; c++) s += unit[qi + c]! * unit[dj + c]!;
      scores[i * n + j] = s / tau;
    }
  const { loss, dScores } = symmetricInfoNce(scores, n);
  // Gradients of the unit vectors: dQ = dS · D / τ, dD = dSᵀ · Q / τ.
  const dUnit = work.dUnit(2 * n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const g = dScores[i * n + j]! / tau;
      if (g === 0) continue;
      const qi = i * d;
      const dj = (n + j) * d;
      for (let c = 0; c < d; c++) {
        dUnit[qi + c]! += g * unit[dj + c]!;
        dUnit[dj + c]! += g * unit[qi + c]!;
      }
    }
  // Through the normalisation (du = (dv − v (v·dv)) / |u|) into each token's row and weight.
  work.startRows();
  const du = new Float32Array(d);
  texts.forEach((bag, t) => {
    const norm = norms[t]!;
    if (norm === 0) return;
    const v0 = t * d;
    let dot = 0;
    for (let c = 0; c < d; c++) dot += unit[v0 + c]! * dUnit[v0 + c]!;
    for (let c = 0; c < d; c++) du[c] = (dUnit[v0 + c]! - unit[v0 + c]! * dot) / norm;
    for (let k = 0; k < bag.ids.length; k++) {
      const id = bag.ids[k]!;
      const slot = work.slot(id);
      const a = bag.counts[k]!;
      const w = encoder.weights[id]!;
      const row = id * d;
      const g0 = slot * d;
      let along = 0;
      for (let c = 0; c < d; c++) {
        work.grads[g0 + c]! += a * w * du[c]!;
        along += encoder.vectors[row + c]! * du[c]!;
      }
      work.weightGrads[slot]! += a * along;
    }
  });
  return loss;
}

/** Buffers reused across batches: the rows a batch touched and their gradients. */
export class Work {
  rows: Int32Array;
  rowCount = 0;
  grads: Float32Array;
  weightGrads: Float32Array;
  private slots: Int32Array;
  private unitBuffer = new Float32Array(0);
  private dUnitBuffer = new Float32Array(0);
  constructor(
    tokens: number,
    private dimensions: number,
  ) {
    this.slots = new Int32Array(tokens).fill(-1);
    this.rows = new Int32Array(1024);
    this.grads = new Float32Array(1024 * dimensions);
    this.weightGrads = new Float32Array(1024);
  }
  unit(size: number) {
    if (this.unitBuffer.length < size) this.unitBuffer = new Float32Array(size);
    return this.unitBuffer;
  }
  dUnit(size: number) {
    if (this.dUnitBuffer.length < size) this.dUnitBuffer = new Float32Array(size);
    else this.dUnitBuffer.fill(0, 0, size);
    return this.dUnitBuffer;
  }
  startRows() {
    for (let s = 0; s < this.rowCount; s++) this.slots[this.rows[s]!] = -1;
    this.rowCount = 0;
  }
  slot(id: number): number {
    let s = this.slots[id]!;
    if (s >= 0) return s;
    s = this.rowCount++;
    if (s >= this.rows.length) {
      const rows = new Int32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const grads = new Float32Array(rows.length * this.dimensions);
      grads.set(this.grads);
      this.grads = grads;
      const weightGrads = new Float32Array(rows.length);
      weightGrads.set(this.weightGrads);
      this.weightGrads = weightGrads;
    }
    this.rows[s] = id;
    this.slots[id] = s;
    this.grads.fill(0, s * this.dimensions, (s + 1) * this.dimensions);
    this.weightGrads[s] = 0;
    return s;
  }
}

/** One epoch's training pairs, shuffled: a paper's title (sentence −1) or one of its sentences, each with the rest. */
function epochPairs(papers: TrainingPaper[], next: () => number): { paper: number; sentence: number }[] {
  const out: { paper: number; sentence: number }[] = [];
  papers.forEach((paper, i) => {
    const sentences = paper.ends.length;
    if (sentences === 0) return;
    if (paper.title.ids.length > 0) out.push({ paper: i, sentence: -1 });
    if (sentences >= 3) out.push({ paper: i, sentence: Math.floor(next() * sentences) });
  });
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A pair's two bags, made when its batch comes (an epoch's worth at once would hold every abstract twice). */
function pairBags(papers: TrainingPaper[], pair: { paper: number; sentence: number }): [Bag, Bag] {
  const paper = papers[pair.paper]!;
  if (pair.sentence < 0) return [paper.title, sentencesBag(paper, () => true)];
  return [sentencesBag(paper, (k) => k === pair.sentence), sentencesBag(paper, (k) => k !== pair.sentence)];
}

/** Trains the encoder in place; returns the mean loss of each epoch. */
export function trainContrastive(encoder: Encoder, papers: TrainingPaper[], options: ContrastiveOptions = CONTRASTIVE_DEFAULTS): number[] {
  const next = random(options.seed);
  const adam = new Adam(encoder, options);
  const work = new Work(encoder.weights.length, encoder.dimensions);
  const losses: number[] = [];
  let done = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const all = epochPairs(papers, next);
    const total = all.length * options.epochs;
    let sum = 0;
    let batches = 0;
    for (let start = 0; start + options.batch <= all.length; start += options.batch) {
      const batch = all.slice(start, start + options.batch).map((pair) => pairBags(papers, pair));
      const queries = batch.map((p) => p[0]);
      sum += contrastiveGradient(
        encoder,
        queries,
        batch.map((p) => p[1]),
        options.temperature,
        work,
      );
      adam.apply(work.rows, work.rowCount, work.grads, work.weightGrads);
      batches++;
      options.onProgress?.((done += batch.length), total);
    }
    losses.push(sum / Math.max(1, batches));
  }
  return losses;
}
