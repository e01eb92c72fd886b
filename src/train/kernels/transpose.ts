/**
 * Transpose of a matrix [R, C] → [C, R], in cache-sized blocks of 4×4 SIMD tiles
 * (simd/transpose.c). The wasm backend's generic Transpose was ~4× slower than a
 * blocked JavaScript loop, which was itself ~3× slower than this, on the [B·T, H]
 * activations whose transposes the linear layers' weight gradients need.
 */
import type { JsInput, JsKernel } from './js-kernel';
import { callSimd } from './simd/module';

export const TRANSPOSE_2D = 'BomfTranspose2D';

export const transpose2DKernel: JsKernel = {
  name: TRANSPOSE_2D,
  inputNames: ['x'],
  plan([x]) {
    const [r, c] = (x as JsInput).shape as [number, number];
    return [{ shape: [c, r], dtype: 'float32' }];
  },
  compute([x], [y]) {
    const [rows, cols] = (x as JsInput).shape as [number, number];
    callSimd([(x as JsInput).data as Float32Array], [y as Float32Array], 0, (w, [os, od]) =>
      w.transpose_2d(os as number, od as number, rows, cols),
    );
  },
};
