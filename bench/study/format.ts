/** Number formatting shared by the study's markdown. */

/** Fixed-point text; 'n/a' for NaN, ±∞ and null (JSON writes NaN as null). */
export const fixed = (v: number | null | undefined, digits: number) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
export const pct = (v: number | null | undefined) => fixed(typeof v === 'number' ? 100 * v : v, 1);
