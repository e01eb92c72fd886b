/**
 * Cholesky factorization and triangular solves on flat row-major `Float64Array`s.
 *
 * Notation: A is (n, n) symmetric positive definite, stored row-major (A[i*n + j]);
 * L is its lower-triangular factor with A = L Lᵀ (the strict upper part of L is zero).
 * We never form inverses to solve systems: two triangular solves cost O(n²) and are
 * backward stable, where an explicit inverse costs O(n³) and loses accuracy.
 */

/** Relative jitters tried in turn (× mean diagonal), as gpytorch's `psd_safe_cholesky` does in float64. */
const JITTER_STEPS = [1e-8, 1e-7, 1e-6];

/** Result of {@link choleskyWithJitter}: the factor and the jitter that had to be added to the diagonal. */
export interface CholeskyResult {
  /** (n, n) lower-triangular factor, row-major. */
  L: Float64Array;
  /** Absolute value added to every diagonal entry before factorizing (0 if none was needed). */
  jitter: number;
}

/**
 * Plain Cholesky A = L Lᵀ (Cholesky–Banachiewicz, row by row, O(n³/3)).
 * @param A - (n, n) symmetric, row-major; only the lower triangle is read.
 * @param diagShift - value added to every diagonal entry of A before factorizing.
 * @returns the (n, n) lower factor, or `null` when a pivot is not positive (A not numerically PD).
 */
export function cholesky(A: Float64Array, n: number, diagShift = 0): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      // Dot product of the two row prefixes, unrolled by four to shorten the dependency chain.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 += L[rowI + k] * L[rowJ + k];
        s1 += L[rowI + k + 1] * L[rowJ + k + 1];
        s2 += L[rowI + k + 2] * L[rowJ + k + 2];
        s3 += L[rowI + k + 3] * L[rowJ + k + 3];
      }
      for (; k < j; k++) s0 += L[rowI + k] * L[rowJ + k];
      let sum = A[rowI + j] - (s0 + s1 + (s2 + s3));
      if (i === j) {
        sum += diagShift;
        if (!(sum > 0)) return null; // also catches NaN
        L[rowI + i] = Math.sqrt(sum);
      } else {
        L[rowI + j] = sum / L[rowJ + j];
      }
    }
  }
  return L;
}

/**
 * Cholesky with jitter escalation: tries A, then A + c·mean(diag A)·I for c = 1e-8, 1e-7, 1e-6.
 * Duplicate inputs of a noise-free GP make K singular; a tiny jitter restores definiteness
 * without visibly changing the posterior.
 * @param A - (n, n) symmetric, row-major.
 * @throws Error naming the largest jitter tried when A is still not positive definite.
 */
export function choleskyWithJitter(A: Float64Array, n: number): CholeskyResult {
  const direct = cholesky(A, n);
  if (direct) return { L: direct, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += A[i * n + i];
  meanDiag /= Math.max(n, 1);
  const scale = meanDiag > 0 && Number.isFinite(meanDiag) ? meanDiag : 1;
  for (const rel of JITTER_STEPS) {
    const jitter = rel * scale;
    const L = cholesky(A, n, jitter);
    if (L) return { L, jitter };
  }
  throw new Error(
    `Cholesky failed: the ${n}×${n} matrix is not positive definite even with jitter ` +
      `${JITTER_STEPS[JITTER_STEPS.length - 1]} × mean diagonal (${scale}); check for NaN/Inf inputs`,
  );
}

/**
 * Solves L x = b in place by forward substitution.
 * @param L - (n, n) lower-triangular, row-major.
 * @param b - (n,) right-hand side, overwritten with x.
 */
export function solveLowerInPlace(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[row + k] * b[k];
    b[i] = sum / L[row + i];
  }
  return b;
}

/**
 * Solves Lᵀ x = b in place by back substitution (Lᵀ is upper-triangular; L is read by columns).
 * @param L - (n, n) lower-triangular, row-major.
 * @param b - (n,) right-hand side, overwritten with x.
 */
export function solveUpperTransposedInPlace(
  L: Float64Array,
  n: number,
  b: Float64Array,
): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i];
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * b[k];
    b[i] = sum / L[i * n + i];
  }
  return b;
}

/** Solves L x = b; returns a new (n,) array. */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveLowerInPlace(L, n, Float64Array.from(b));
}

/** Solves Lᵀ x = b; returns a new (n,) array. */
export function solveUpperTransposed(
  L: Float64Array,
  n: number,
  b: ArrayLike<number>,
): Float64Array {
  return solveUpperTransposedInPlace(L, n, Float64Array.from(b));
}

/** Solves A x = b given A = L Lᵀ (a forward then a back substitution, O(n²)); returns a new (n,) array. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperTransposedInPlace(L, n, solveLowerInPlace(L, n, Float64Array.from(b)));
}

/**
 * Solves L V = B for m right-hand sides at once.
 * @param B - (n, m) row-major; column j is one right-hand side.
 * @returns V, (n, m) row-major.
 */
export function solveLowerMatrix(
  L: Float64Array,
  n: number,
  B: Float64Array,
  m: number,
): Float64Array {
  const V = Float64Array.from(B);
  // Row-oriented forward substitution: row i of V = (B_i − Σ_{k<i} L_ik V_k) / L_ii,
  // so the inner loop walks contiguous rows of V.
  for (let i = 0; i < n; i++) {
    const rowI = i * m;
    for (let k = 0; k < i; k++) {
      const lik = L[i * n + k];
      if (lik === 0) continue;
      const rowK = k * m;
      for (let j = 0; j < m; j++) V[rowI + j] -= lik * V[rowK + j];
    }
    const inv = 1 / L[i * n + i];
    for (let j = 0; j < m; j++) V[rowI + j] *= inv;
  }
  return V;
}

/** log det A = 2 Σ log L_ii for A = L Lᵀ. */
export function logDetFromCholesky(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
  return 2 * s;
}

/**
 * A⁻¹ from its Cholesky factor (O(n³/3)). Only needed where the whole inverse enters a formula,
 * e.g. tr(K⁻¹ ∂K/∂θ) in the marginal-likelihood gradient.
 * @returns (n, n) symmetric, row-major.
 */
export function inverseFromCholesky(L: Float64Array, n: number): Float64Array {
  // Linv = L⁻¹ row by row: Linv_i = (e_i − Σ_{k<i} L_ik Linv_k) / L_ii. Row k of Linv is zero
  // beyond column k, so every inner loop runs over a contiguous prefix of a row.
  const Linv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    Linv[rowI + i] = 1;
    for (let k = 0; k < i; k++) {
      const lik = L[rowI + k];
      if (lik === 0) continue;
      const rowK = k * n;
      for (let j = 0; j <= k; j++) Linv[rowI + j] -= lik * Linv[rowK + j];
    }
    const inv = 1 / L[rowI + i];
    for (let j = 0; j <= i; j++) Linv[rowI + j] *= inv;
  }
  // A⁻¹ = Linvᵀ Linv = Σ_k (row k of Linv)ᵀ (row k of Linv): accumulate the lower triangle.
  const Ainv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i <= k; i++) {
      const a = Linv[rowK + i];
      if (a === 0) continue;
      const rowI = i * n;
      for (let j = 0; j <= i; j++) Ainv[rowI + j] += a * Linv[rowK + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) Ainv[j * n + i] = Ainv[i * n + j];
  return Ainv;
}

/**
 * Solves Lᵀ W = B for m right-hand sides at once (back substitution by rows).
 * @param B - (n, m) row-major.
 * @returns W, (n, m) row-major.
 */
export function solveUpperTransposedMatrix(
  L: Float64Array,
  n: number,
  B: Float64Array,
  m: number,
): Float64Array {
  const W = Float64Array.from(B);
  for (let i = n - 1; i >= 0; i--) {
    const rowI = i * m;
    for (let k = i + 1; k < n; k++) {
      const lki = L[k * n + i];
      if (lki === 0) continue;
      const rowK = k * m;
      for (let j = 0; j < m; j++) W[rowI + j] -= lki * W[rowK + j];
    }
    const inv = 1 / L[i * n + i];
    for (let j = 0; j < m; j++) W[rowI + j] *= inv;
  }
  return W;
}
