/**
 * Seeded inverted dropout as one kernel: y = x·keep/(1 − rate), where `keep`
 * comes from a counter-based hash of (seed, element index). Because the mask is
 * a pure function of the seed, the gradient is the same kernel applied to dy
 * with the same seed: no mask tensor is kept between forward and backward.
 */
import type { JsInput, JsKernel } from './js-kernel';

export const DROPOUT = 'BomfDropout';

/** A 32-bit integer hash (lowbias32 by C. Wellons' hash-prospector) → [0, 1). */
function uniform(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export const dropoutKernel: JsKernel = {
  name: DROPOUT,
  inputNames: ['x'],
  plan: ([x]) => [{ shape: (x as JsInput).shape, dtype: 'float32' }],
  compute([x], [y], attrs) {
    const rate = attrs.rate as number;
    const seed = (attrs.seed as number) | 0;
    const xd = (x as JsInput).data as Float32Array;
    const yd = y as Float32Array;
    const scale = 1 / (1 - rate);
    for (let i = 0; i < xd.length; i++) {
      yd[i] = uniform(seed, i) >= rate ? (xd[i] as number) * scale : 0;
    }
  },
};
