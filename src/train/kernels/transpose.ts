/**
 * Transpose of a matrix [R, C] → [C, R], in cache-sized blocks. The wasm
 * backend's generic Transpose was ~4× slower on the [B·T, H] activations whose
 * transposes the linear layers' weight gradients need.
 */
import type { JsInput, JsKernel } from './js-kernel';

export const TRANSPOSE_2D = 'BomfTranspose2D';

const BLOCK = 32;

export const transpose2DKernel: JsKernel = {
  name: TRANSPOSE_2D,
  inputNames: ['x'],
  plan([x]) {
    const [r, c] = (x as JsInput).shape as [number, number];
    return [{ shape: [c, r], dtype: 'float32' }];
  },
  compute([x], [y]) {
    const [rows, cols] = (x as JsInput).shape as [number, number];
    const src = (x as JsInput).data as Float32Array;
    const dst = y as Float32Array;
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      const r1 = Math.min(r0 + BLOCK, rows);
      for (let c0 = 0; c0 < cols; c0 += BLOCK) {
        const c1 = Math.min(c0 + BLOCK, cols);
        for (let r = r0; r < r1; r++) {
          const base = r * cols;
          for (let c = c0; c < c1; c++) dst[c * rows + r] = src[base + c] as number;
        }
      }
    }
  },
};
