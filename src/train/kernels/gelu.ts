/**
 * Exact (erf-based) GELU, Hugging Face's "gelu": y = x·Φ(x) = ½x(1 + erf(x/√2)),
 * and its derivative Φ(x) + x·φ(x), in one pass over memory. TF.js would run
 * erf, several multiplies and adds and keep their temporaries for the gradient.
 */
import type { JsInput, JsKernel } from './js-kernel';

export const GELU = 'BomfGeluErf';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf(x) by the rational approximation of Abramowitz & Stegun 7.1.26,
 * with |error| ≤ 1.5e-7 (below float32 resolution of GELU outputs).
 */
export function erf(x: number): number {
  return erfWithExp(x, Math.exp(-x * x));
}

/** erf(x) given expNegX2 = exp(−x²), which callers may already have. */
function erfWithExp(x: number, expNegX2: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * expNegX2);
}

/**
 * Input x; outputs y = x·Φ(x) and its derivative Φ(x) + x·φ(x), computed together
 * because erf(x/√2) and φ(x) share the one exp(−x²/2) (the backward pass is then
 * a single multiply by the saved derivative).
 */
export const geluKernel: JsKernel = {
  name: GELU,
  inputNames: ['x'],
  plan: ([x]) => {
    const shape = (x as JsInput).shape;
    return [
      { shape, dtype: 'float32' },
      { shape, dtype: 'float32' },
    ];
  },
  compute([x], [y, dydx]) {
    const xd = (x as JsInput).data as Float32Array;
    const yd = y as Float32Array;
    const dd = dydx as Float32Array;
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i] as number;
      const e = Math.exp(-0.5 * v * v);
      const cdf = 0.5 * (1 + erfWithExp(v * INV_SQRT2, e));
      yd[i] = v * cdf;
      dd[i] = cdf + v * INV_SQRT_2PI * e;
    }
  },
};
