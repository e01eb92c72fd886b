/**
 * Seeded inverted dropout as one kernel: y = x·keep/(1 − rate), where `keep`
 * comes from a counter-based hash of (seed, element index) (simd/dropout.h, run
 * as WebAssembly SIMD). Because the mask is a pure function of the seed, the
 * gradient is the same kernel applied to dy with the same seed: no mask tensor
 * is kept between forward and backward.
 */
import type { JsInput, JsKernel } from './js-kernel';
import { callSimd } from './simd/module';

export const DROPOUT = 'BomfDropout';

export const dropoutKernel: JsKernel = {
  name: DROPOUT,
  inputNames: ['x'],
  plan: ([x]) => [{ shape: (x as JsInput).shape, dtype: 'float32' }],
  compute([x], [y], attrs) {
    const xd = (x as JsInput).data as Float32Array;
    const seed = (attrs.seed as number) | 0;
    callSimd([xd], [y as Float32Array], 0, (w, [ox, oy]) =>
      w.dropout_forward(ox as number, oy as number, xd.length, seed, attrs.rate as number),
    );
  },
};
