/**
 * Truncated SVD of a large sparse matrix by randomized range finding (Halko,
 * Martinsson & Tropp 2011, algorithms 4.4 and 5.1): a few products with the sparse
 * matrix and its transpose, then an exact eigen-decomposition of a small
 * (k + oversample)² matrix. Used for the co-occurrence embeddings of pre-training,
 * where the matrix is vocabulary × vocabulary but only a few percent non-zero.
 */

/** Compressed sparse rows: row i's entries are `cols/values[rowStart[i] .. rowStart[i+1])`. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/** A · X for X dense [A.cols × width], row-major; returns [A.rows × width]. */
export function csrTimesDense(a: CsrMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.rows * width);
  for (let i = 0; i < a.rows; i++) {
    const o = i * width;
    for (let p = a.rowStart[i]!; p < a.rowStart[i + 1]!; p++) {
      const v = a.values[p]!;
      const xo = a.colIndex[p]! * width;
      for (let c = 0; c < width; c++) out[o + c]! += v * x[xo + c]!;
    }
  }
  return out;
}

/** Aᵀ · X for X dense [A.rows × width], row-major; returns [A.cols × width]. */
export function csrTransposeTimesDense(a: CsrMatrix, x: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.cols * width);
  for (let i = 0; i < a.rows; i++) {
    const xo = i * width;
    for (let p = a.rowStart[i]!; p < a.rowStart[i + 1]!; p++) {
      const v = a.values[p]!;
      const o = a.colIndex[p]! * width;
      for (let c = 0; c < width; c++) out[o + c]! += v * x[xo + c]!;
    }
  }
  return out;
}

/**
 * Orthonormalizes the columns of Y [rows × width] (row-major) in place by modified
 * Gram–Schmidt, run twice ("twice is enough") so the result stays orthogonal to
 * working precision. A column that vanishes is left zero.
 */
export function orthonormalizeColumns(y: Float64Array, rows: number, width: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < width; c++) {
      for (let prev = 0; prev < c; prev++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += y[r * width + c]! * y[r * width + prev]!;
        for (let r = 0; r < rows; r++) y[r * width + c]! -= dot * y[r * width + prev]!;
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += y[r * width + c]! ** 2;
      norm = Math.sqrt(norm);
      const scale = norm > 1e-300 ? 1 / norm : 0;
      for (let r = 0; r < rows; r++) y[r * width + c]! *= scale;
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric matrix [n × n] (row-major) by cyclic
 * Jacobi rotations. Returns eigenvalues in descending order and the matching
 * eigenvectors as the columns of a row-major [n × n] matrix.
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        // The rotation angle that zeroes a[p][q] (Golub & Van Loan, algorithm 8.5.1).
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => a[j * n + j]! - a[i * n + i]!,
  );
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

export interface TruncatedSvd {
  /** Left singular vectors [rows × rank], row-major. */
  u: Float64Array;
  /** Singular values, descending. */
  s: Float64Array;
  rank: number;
}

export interface RandomizedSvdOptions {
  /** Extra random directions beyond `rank` (improves the top ones' accuracy). */
  oversample?: number;
  /** Power iterations (A·Aᵀ)^q, which sharpen a slowly decaying spectrum. */
  powerIterations?: number;
  /** Standard-normal draws for the random test matrix. */
  normal: () => number;
}

/** The top `rank` singular values and left singular vectors of `a`. */
export function randomizedSvd(a: CsrMatrix, rank: number, o: RandomizedSvdOptions): TruncatedSvd {
  const width = Math.min(rank + (o.oversample ?? 10), a.rows, a.cols);
  if (rank > width) throw new Error(`rank ${rank} exceeds the matrix size ${a.rows}×${a.cols}`);
  const omega = Float64Array.from({ length: a.cols * width }, o.normal);
  let y = csrTimesDense(a, omega, width);
  orthonormalizeColumns(y, a.rows, width);
  for (let q = 0; q < (o.powerIterations ?? 4); q++) {
    const z = csrTransposeTimesDense(a, y, width);
    orthonormalizeColumns(z, a.cols, width);
    y = csrTimesDense(a, z, width);
    orthonormalizeColumns(y, a.rows, width);
  }
  // B = Qᵀ A, held transposed as Bᵀ = Aᵀ Q [cols × width]; then B Bᵀ = Σ² in Q's basis.
  const bt = csrTransposeTimesDense(a, y, width);
  const gram = new Float64Array(width * width);
  for (let r = 0; r < a.cols; r++)
    for (let i = 0; i < width; i++) {
      const bri = bt[r * width + i]!;
      if (bri === 0) continue;
      for (let j = i; j < width; j++) gram[i * width + j]! += bri * bt[r * width + j]!;
    }
  for (let i = 0; i < width; i++)
    for (let j = 0; j < i; j++) gram[i * width + j] = gram[j * width + i]!;
  const { values, vectors } = symmetricEigen(gram, width);
  const u = new Float64Array(a.rows * rank);
  for (let r = 0; r < a.rows; r++)
    for (let k = 0; k < rank; k++) {
      let sum = 0;
      for (let i = 0; i < width; i++) sum += y[r * width + i]! * vectors[i * width + k]!;
      u[r * rank + k] = sum;
    }
  const s = Float64Array.from(values.subarray(0, rank), (x) => Math.sqrt(Math.max(0, x)));
  return { u, s, rank };
}
