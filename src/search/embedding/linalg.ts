// The little linear algebra the built-in model needs, on Float32Array matrices stored row by row.
// Big products (sparse × dense) are written here because no maintained JavaScript library does
// sparse matrices; small dense decompositions (l × l, l ≈ 300) go to ml-matrix.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A dense matrix, row-major. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** A sparse matrix in compressed sparse row form. */
export interface Sparse {
  rows: number;
  cols: number;
  indptr: Int32Array; // rows + 1
  indices: Int32Array;
  values: Float32Array;
}

export function dense(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float32Array(rows * cols) };
}

/** A deterministic Gaussian matrix (mulberry32 + Box-Muller), so training is reproducible. */
export function gaussian(rows: number, cols: number, seed = 1): Dense {
  const m = dense(rows, cols);
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  for (let i = 0; i < m.data.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const theta = 2 * Math.PI * uniform();
    m.data[i] = r * Math.cos(theta);
    if (i + 1 < m.data.length) m.data[i + 1] = r * Math.sin(theta);
  }
  return m;
}

/** A × X, A sparse (n × m), X dense (m × l). */
export function sparseTimes(a: Sparse, x: Dense): Dense {
  const l = x.cols;
  const out = dense(a.rows, l);
  const { indptr, indices, values } = a;
  const xd = x.data;
  const od = out.data;
  for (let i = 0; i < a.rows; i++) {
    const o = i * l;
    for (let p = indptr[i]!, end = indptr[i + 1]!; p < end; p++) {
      const v = values[p]!;
      const xo = indices[p]! * l;
      for (let c = 0; c < l; c += 4) {
        od[o + c]! += v * xd[xo + c]!;
        od[o + c + 1]! += v * xd[xo + c + 1]!;
        od[o + c + 2]! += v * xd[xo + c + 2]!;
        od[o + c + 3]! += v * xd[xo + c + 3]!;
      }
    }
  }
  return out;
}

/** Aᵀ × Y, A sparse (n × m), Y dense (n × l): an m × l result. */
export function sparseTransposeTimes(a: Sparse, y: Dense): Dense {
  const l = y.cols;
  const out = dense(a.cols, l);
  const { indptr, indices, values } = a;
  const yd = y.data;
  const od = out.data;
  for (let i = 0; i < a.rows; i++) {
    const yo = i * l;
    for (let p = indptr[i]!, end = indptr[i + 1]!; p < end; p++) {
      const v = values[p]!;
      const o = indices[p]! * l;
      for (let c = 0; c < l; c += 4) {
        od[o + c]! += v * yd[yo + c]!;
        od[o + c + 1]! += v * yd[yo + c + 1]!;
        od[o + c + 2]! += v * yd[yo + c + 2]!;
        od[o + c + 3]! += v * yd[yo + c + 3]!;
      }
    }
  }
  return out;
}

/** Yᵀ × Y, in double precision. */
export function gram(y: Dense): Matrix {
  const l = y.cols;
  const g = new Float64Array(l * l);
  const yd = y.data;
  for (let i = 0; i < y.rows; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const va = yd[o + a]!;
      if (va === 0) continue;
      const ga = a * l;
      let b = a;
      for (; b + 3 < l; b += 4) {
        g[ga + b]! += va * yd[o + b]!;
        g[ga + b + 1]! += va * yd[o + b + 1]!;
        g[ga + b + 2]! += va * yd[o + b + 2]!;
        g[ga + b + 3]! += va * yd[o + b + 3]!;
      }
      for (; b < l; b++) g[ga + b]! += va * yd[o + b]!;
    }
  }
  const m = new Matrix(l, l);
  for (let a = 0; a < l; a++)
    for (let b = a; b < l; b++) {
      m.set(a, b, g[a * l + b]!);
      m.set(b, a, g[a * l + b]!);
    }
  return m;
}

/** Y × W, W a small dense ml-matrix (l × k). */
export function timesSmall(y: Dense, w: Matrix): Dense {
  const l = y.cols;
  const k = w.columns;
  const wf = new Float32Array(l * k);
  for (let a = 0; a < l; a++) for (let b = 0; b < k; b++) wf[a * k + b] = w.get(a, b);
  const out = dense(y.rows, k);
  const yd = y.data;
  const od = out.data;
  for (let i = 0; i < y.rows; i++) {
    const yo = i * l;
    const o = i * k;
    for (let a = 0; a < l; a++) {
      const v = yd[yo + a]!;
      if (v === 0) continue;
      const wo = a * k;
      let b = 0;
      for (; b + 3 < k; b += 4) {
        od[o + b]! += v * wf[wo + b]!;
        od[o + b + 1]! += v * wf[wo + b + 1]!;
        od[o + b + 2]! += v * wf[wo + b + 2]!;
        od[o + b + 3]! += v * wf[wo + b + 3]!;
      }
      for (; b < k; b++) od[o + b]! += v * wf[wo + b]!;
    }
  }
  return out;
}

/** Eigenvectors of a symmetric matrix, largest eigenvalue first. */
export function symmetricEigen(g: Matrix): { values: number[]; vectors: Matrix } {
  const e = new EigenvalueDecomposition(g, { assumeSymmetric: true });
  const order = e.realEigenvalues.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0]);
  const vectors = new Matrix(g.rows, g.rows);
  order.forEach(([, i], c) => {
    for (let r = 0; r < g.rows; r++) vectors.set(r, c, e.eigenvectorMatrix.get(r, i));
  });
  return { values: order.map(([v]) => v), vectors };
}

/** An orthonormal basis of Y's columns (Y W Λ^-½ from the eigenvectors of YᵀY). */
export function orthonormalize(y: Dense): Dense {
  const { values, vectors } = symmetricEigen(gram(y));
  const keep = values.filter((v) => v > values[0]! * 1e-10).length;
  const w = new Matrix(y.cols, keep);
  for (let c = 0; c < keep; c++) for (let r = 0; r < y.cols; r++) w.set(r, c, vectors.get(r, c) / Math.sqrt(values[c]!));
  return timesSmall(y, w);
}

/**
 * The top-k right singular vectors and singular values of A (n × m) by randomized SVD (Halko,
 * Martinsson and Tropp 2011, with power iterations), run on Aᵀ so that the orthonormal bases are
 * m × l (terms), not n × l (documents): a few passes over A's non-zeros and small dense work.
 */
export function truncatedSvd(
  a: Sparse,
  k: number,
  { oversample = 16, powerIterations = 2, seed = 1 } = {},
): { v: Dense; singular: number[] } {
  const l = Math.ceil(Math.min(k + oversample, a.cols, a.rows) / 4) * 4; // the unrolled loops need l % 4 = 0
  let y = sparseTransposeTimes(a, gaussian(a.rows, l, seed)); // m × l, in A's row space
  for (let i = 0; i < powerIterations; i++) y = sparseTransposeTimes(a, sparseTimes(a, orthonormalize(y)));
  const q = orthonormalize(y); // m × l'
  const { values, vectors } = symmetricEigen(gram(sparseTimes(a, q))); // (AQ)ᵀ(AQ) = W Σ² Wᵀ
  const kept = Math.min(k, values.filter((v) => v > 0).length);
  return { v: timesSmall(q, vectors.subMatrix(0, vectors.rows - 1, 0, kept - 1)), singular: values.slice(0, kept).map(Math.sqrt) }; // V = Q W
}
