/** Helpers for computing in log space without overflow or cancellation. */

/**
 * log(1 − e^x) for x ≤ 0 (Mächler 2012, "Accurately computing log(1 − exp(−|a|))"):
 * log(−expm1(x)) near 0, log1p(−e^x) far from it; the switch at −ln 2 keeps both accurate.
 */
export function log1mexp(x: number): number {
  if (x > 0) return Number.NaN;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log Σ exp(v_i), shifted by the maximum; −Infinity for an empty or all −Infinity input. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === Number.NEGATIVE_INFINITY || Number.isNaN(max)) return max;
  if (max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/**
 * softmax weights exp(v_i − logSumExp(v)): the gradient of {@link logSumExp}.
 * @returns (len,) non-negative weights summing to 1.
 */
export function softmax(values: ArrayLike<number>): number[] {
  const lse = logSumExp(values);
  return Array.from(values, (v) => Math.exp(v - lse));
}

/** log(e^a + e^b) for two numbers. */
export function logAddExp(a: number, b: number): number {
  const max = Math.max(a, b);
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  return max + Math.log1p(Math.exp(-Math.abs(a - b)));
}
