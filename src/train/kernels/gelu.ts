/**
 * Exact (erf-based) GELU, Hugging Face's "gelu": y = x·Φ(x) = ½x(1 + erf(x/√2)),
 * and its derivative Φ(x) + x·φ(x), each one pass over memory. TF.js would run
 * erf, several multiplies and adds and keep their temporaries for the gradient.
 */
import type { JsInput, JsKernel } from './js-kernel';

export const GELU = 'BomfGeluErf';
export const GELU_GRAD = 'BomfGeluErfGrad';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf(x) by Abramowitz & Stegun 7.1.26 refined: the rational approximation
 * with |error| ≤ 1.5e-7, below float32 resolution of the result.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

export const geluKernel: JsKernel = {
  name: GELU,
  inputNames: ['x'],
  plan: ([x]) => [{ shape: (x as JsInput).shape, dtype: 'float32' }],
  compute([x], [y]) {
    const xd = (x as JsInput).data as Float32Array;
    const yd = y as Float32Array;
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i] as number;
      yd[i] = 0.5 * v * (1 + erf(v * INV_SQRT2));
    }
  },
};

/** Inputs dy, x; output dx = dy·(Φ(x) + x·φ(x)). */
export const geluGradKernel: JsKernel = {
  name: GELU_GRAD,
  inputNames: ['dy', 'x'],
  plan: ([, x]) => [{ shape: (x as JsInput).shape, dtype: 'float32' }],
  compute([dy, x], [dx]) {
    const dyd = (dy as JsInput).data as Float32Array;
    const xd = (x as JsInput).data as Float32Array;
    const out = dx as Float32Array;
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i] as number;
      const cdf = 0.5 * (1 + erf(v * INV_SQRT2));
      const pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      out[i] = (dyd[i] as number) * (cdf + v * pdf);
    }
  },
};
