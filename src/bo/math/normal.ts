/**
 * Standard normal density, distribution function and their logarithms, stable in the tails.
 * Φ(z) = ½ erfc(−z/√2); for z < 0 we use ½ erfcx(−z/√2)·e^{−z²/2} so log Φ never underflows.
 */
import { erfc, erfcx } from './erf';

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT2 = Math.SQRT1_2;

/** φ(z) = e^{−z²/2}/√(2π). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** log φ(z). */
export function normalLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** Φ(z), with full relative accuracy in the lower tail. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * INV_SQRT2);
}

/** log Φ(z), finite for every finite z (≈ −z²/2 − log(−z√(2π)) as z → −∞). */
export function normalLogCdf(z: number): number {
  if (z < -1) return Math.log(0.5 * erfcx(-z * INV_SQRT2)) - 0.5 * z * z;
  // Φ(z) ≥ 0.16 here; log1p keeps accuracy when Φ(z) is close to 1.
  return Math.log1p(-0.5 * erfc(z * INV_SQRT2));
}
