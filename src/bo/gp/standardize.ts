/**
 * Outcome standardization y → (y − mean)/std, as BoTorch's `Standardize`: unbiased std (n − 1);
 * with one observation, or a spread below 1e-8 (constant outcomes), std := 1 so that we only
 * de-mean instead of dividing by ~0.
 */
export interface Standardization {
  mean: number;
  std: number;
  /** (n,) standardized values. */
  values: number[];
}

const MIN_STD = 1e-8;

/** @param y - (n,) finite outcomes, n ≥ 1. */
export function standardize(y: number[]): Standardization {
  const n = y.length;
  if (n === 0) throw new Error('standardize: at least one outcome is required');
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`standardize: y[${i}] is not finite (${v})`);
  });
  const mean = y.reduce((s, v) => s + v, 0) / n;
  let std = n > 1 ? Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 1;
  if (!(std >= MIN_STD)) std = 1;
  return { mean, std, values: y.map((v) => (v - mean) / std) };
}
