// A member's taste as a linear model over paper embeddings, in the way of arxiv-sanity's SVM: what
// they upvoted, saved, submitted or named as a topic against papers at random (and against what they
// marked "not interested"). It is a ridge regression, solved exactly rather than iterated:
//
//     w = argmin  Σ cᵢ (w·xᵢ − yᵢ)² + λ |w|²       y = +1 liked, −1 not interested or at random
//
// Liked papers share a weight of 1 between them, as do the papers at random and the papers marked
// "not interested" (each set counts as much as the other however many it holds, so ten votes do not
// drown one click). The papers at random are the same fixed sample for every member, so their part
// of the normal equations (Σ c x xᵀ) is summed once per model and each member adds only their own
// few rows: training takes milliseconds, which is what lets a vote change the ranking at once. λ
// (TASTE_RIDGE) was chosen by cross-validation over Hugging Face submitters (bench/eval-recommend.ts).
// A paper's score is w·x (its vector is unit length); the bias term carries no ranking.

export const TASTE_RIDGE = 0.1;
/** The most recent this many liked papers make the model: tastes move, and training stays a few milliseconds. */
export const MAX_LIKED = 200;

export interface TasteExamples {
  liked: Float32Array[];
  disliked: Float32Array[];
}

/** The papers at random, their part of the normal equations summed once: see trainTaste. */
export interface Background {
  dimensions: number;
  /** Σ x xᵀ / n over the sample, with the bias as a last coordinate of 1: (d+1)². */
  gram: Float64Array;
  /** Σ x / n, the same way: what −1 targets add to the right-hand side. */
  sum: Float64Array;
}

export function background(sample: Float32Array[]): Background {
  const dimensions = sample[0]?.length ?? 0;
  const n = dimensions + 1;
  const gram = new Float64Array(n * n);
  const sum = new Float64Array(n);
  const weight = 1 / Math.max(1, sample.length);
  for (const v of sample) addRow(gram, sum, v, weight, 1);
  return { dimensions, gram, sum };
}

/** Adds c·x xᵀ to the Gram matrix and c·y·x to the right-hand side, x with its bias coordinate. */
function addRow(gram: Float64Array, rhs: Float64Array, v: Float32Array, c: number, y: number) {
  const n = v.length + 1;
  for (let i = 0; i < n; i++) {
    const xi = i < v.length ? v[i]! : 1;
    if (xi === 0) continue;
    const ci = c * xi;
    rhs[i]! += ci * y;
    const row = i * n;
    for (let j = 0; j < v.length; j++) gram[row + j]! += ci * v[j]!;
    gram[row + v.length]! += ci;
  }
}

/**
 * The member's weights (one per dimension), or null when nothing is liked: a model of dislikes
 * alone ranks by distance from them, which is no taste at all.
 */
export function trainTaste(examples: TasteExamples, base: Background, ridge = TASTE_RIDGE): Float32Array | null {
  const { liked, disliked } = examples;
  if (liked.length === 0 || base.dimensions === 0) return null;
  const d = base.dimensions;
  const n = d + 1;
  const gram = Float64Array.from(base.gram);
  // The background's targets are −1: its right-hand side is −Σ c x.
  const rhs = base.sum.map((x) => -x);
  for (const v of liked) addRow(gram, rhs, v, 1 / liked.length, 1);
  for (const v of disliked) addRow(gram, rhs, v, 1 / disliked.length, -1);
  for (let i = 0; i < d; i++) gram[i * n + i]! += ridge; // the bias is left free
  const solution = solveSymmetric(gram, rhs, n);
  const weights = new Float32Array(d);
  for (let i = 0; i < d; i++) weights[i] = solution[i]!;
  return weights;
}

/**
 * Solves A x = b for a symmetric positive definite A (n × n, row after row; overwritten) by Cholesky
 * factorisation in place: the lower triangle becomes L with A = L Lᵀ. A few milliseconds at n = 257.
 */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diagonal = a[rj + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[rj + k]! ** 2;
    if (!(diagonal > 0)) throw new Error('the taste system is not positive definite');
    const ljj = Math.sqrt(diagonal);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let sum = a[ri + j]!;
      for (let k = 0; k < j; k++) sum -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = sum / ljj;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let sum = x[i]!;
    for (let k = 0; k < i; k++) sum -= a[i * n + k]! * x[k]!;
    x[i] = sum / a[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i]!;
    for (let k = i + 1; k < n; k++) sum -= a[k * n + i]! * x[k]!;
    x[i] = sum / a[i * n + i]!;
  }
  return x;
}

export function score(weights: Float32Array, vector: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < weights.length; i++) dot += weights[i]! * vector[i]!;
  return dot;
}

/** The papers' vectors in one block, row after row: what ranking many members at once reads. */
export function stack(vectors: Float32Array[], dimensions: number): Float32Array {
  const block = new Float32Array(vectors.length * dimensions);
  vectors.forEach((v, i) => block.set(v, i * dimensions));
  return block;
}

/** Every paper's score for one member: the block (papers × dimensions) times their weights. */
export function scoreBlock(weights: Float32Array, block: Float32Array): Float32Array {
  const d = weights.length;
  const scores = new Float32Array(block.length / d);
  for (let p = 0, offset = 0; p < scores.length; p++, offset += d) {
    // Four running sums: the loop is what a digest run of 10,000 members spends its time in.
    let a = 0;
    let b = 0;
    let c = 0;
    let e = 0;
    let i = 0;
    for (; i + 3 < d; i += 4) {
      a += weights[i]! * block[offset + i]!;
      b += weights[i + 1]! * block[offset + i + 1]!;
      c += weights[i + 2]! * block[offset + i + 2]!;
      e += weights[i + 3]! * block[offset + i + 3]!;
    }
    for (; i < d; i++) a += weights[i]! * block[offset + i]!;
    scores[p] = a + b + c + e;
  }
  return scores;
}

/** The indices of the `k` highest scores, best first (kept in a short sorted list: k is small). */
export function topIndices(scores: Float32Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (top.length === k && s <= scores[top[k - 1]!]!) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && scores[top[at - 1]!]! < s) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
