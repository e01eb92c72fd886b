/**
 * Fixed quasi-Monte-Carlo standard-normal base samples: scrambled Sobol points pushed through the
 * normal quantile function (as BoTorch's SobolQMCNormalSampler). Kept fixed while one acquisition
 * is optimized (sample average approximation), so L-BFGS-B sees a deterministic function.
 */
import { normalCdf, normalPdf } from '../math';
import { Random } from '../random';
import { SOBOL_MAX_DIM, sobol } from '../sobol';

// Rational approximation of the normal quantile by P. J. Acklam (2003), relative error ≤ 1.15e-9,
// refined below by one Halley step on Φ(x) − p, which brings it to full double precision.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Lower-half quantile (p ≤ 0.5), where Φ keeps full relative accuracy. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  const u = (normalCdf(x) - p) / normalPdf(x);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Standard normal quantile Φ⁻¹(p).
 * @param p - probability in (0, 1); 0 and 1 give ∓Infinity.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return p <= 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}

/**
 * N points of D independent standard normals: scrambled Sobol for D ≤ SOBOL_MAX_DIM, else
 * pseudo-random (seeded) normals.
 * @returns (N, D) row-major samples.
 */
export function normalBaseSamples(N: number, D: number, seed: number): Float64Array[] {
  if (D > SOBOL_MAX_DIM) {
    const rng = new Random(seed);
    return Array.from({ length: N }, () => Float64Array.from({ length: D }, () => rng.normal()));
  }
  // Keep u inside (0, 1): a scrambled point may sit exactly on 0.
  const eps = 2 ** -40;
  return sobol(N, D, { scramble: true, seed }).map((u) =>
    Float64Array.from(u, (v) => normalQuantile(Math.min(1 - eps, Math.max(eps, v)))),
  );
}
