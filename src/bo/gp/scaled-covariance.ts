/**
 * Kernel matrices and their input gradients on "scaled rows": points already divided by the
 * ARD lengthscales, stored row-major in a Float64Array (d columns). On scaled rows r² is a
 * plain squared distance, so {@link ExactGP} scales its training inputs once and each query
 * scales only its own points.
 */
import { type KernelParams, kernelProfile, kernelProfileDerivative } from './kernels';

/** (m, d) rows divided by ℓ, with a shape and finiteness check naming `what`. */
export function scaleRows(X: number[][], ell: ArrayLike<number>, what: string): Float64Array {
  const d = ell.length;
  const out = new Float64Array(X.length * d);
  X.forEach((row, i) => {
    if (row.length !== d)
      throw new Error(`ExactGP: ${what}[${i}] has ${row.length} coordinates, expected ${d}`);
    for (let k = 0; k < d; k++) {
      if (!Number.isFinite(row[k]))
        throw new Error(`ExactGP: ${what}[${i}][${k}] is not finite (${row[k]})`);
      out[i * d + k] = row[k] / ell[k];
    }
  });
  return out;
}

/** r² between scaled rows A[i] and B[j] of d coordinates. */
export function scaledSqDist(
  A: Float64Array,
  i: number,
  B: Float64Array,
  j: number,
  d: number,
): number {
  let r2 = 0;
  for (let k = 0; k < d; k++) {
    const t = A[i * d + k] - B[j * d + k];
    r2 += t * t;
  }
  return r2;
}

/** (rows, m) k(A, B) for scaled A (rows × d) and scaled B. */
export function scaledCovariance(
  p: KernelParams,
  A: Float64Array,
  rows: number,
  B: Float64Array,
): Float64Array {
  const d = p.lengthscales.length;
  const m = B.length / d;
  const s = p.outputscale;
  const out = new Float64Array(rows * m);
  for (let l = 0; l < rows; l++) {
    for (let j = 0; j < m; j++) {
      out[l * m + j] = s * kernelProfile(p.kind, scaledSqDist(A, l, B, j, d));
    }
  }
  return out;
}

/** (rows, d) ∂k(a_l, x)/∂x for scaled A and an unscaled point x. */
export function scaledCovarianceGrad(
  p: KernelParams,
  A: Float64Array,
  rows: number,
  x: number[],
): Float64Array {
  const d = p.lengthscales.length;
  const xs = scaleRows([x], p.lengthscales, 'x');
  const out = new Float64Array(rows * d);
  const dk = new Float64Array(d);
  for (let l = 0; l < rows; l++) {
    scaledKernelGradA(p, xs, 0, A, l, dk);
    out.set(dk, l * d);
  }
  return out;
}

/** Writes ∂k(a, b)/∂a into `out` for scaled rows a = A[i], b = B[j]. */
export function scaledKernelGradA(
  p: KernelParams,
  A: Float64Array,
  i: number,
  B: Float64Array,
  j: number,
  out: Float64Array,
): void {
  const ell = p.lengthscales;
  const d = ell.length;
  const g = p.outputscale * kernelProfileDerivative(p.kind, scaledSqDist(A, i, B, j, d));
  // With scaled rows a/ℓ, b/ℓ: ∂r²/∂a_k = 2 (a_k − b_k)/ℓ_k² = 2 (â_k − b̂_k)/ℓ_k.
  for (let k = 0; k < d; k++) out[k] = (2 * g * (A[i * d + k] - B[j * d + k])) / ell[k];
}
