/**
 * Column sums of a matrix [R, C] → [C] (the bias gradient of a linear layer).
 * TF.js reduces only the innermost axis natively, so `sum(x, 0)` transposes the
 * whole matrix first; one pass over the rows avoids that.
 */
import type { JsInput, JsKernel } from './js-kernel';

export const COLUMN_SUM = 'BomfColumnSum';

export const columnSumKernel: JsKernel = {
  name: COLUMN_SUM,
  zeroOutputs: true,
  inputNames: ['x'],
  plan: ([x]) => [{ shape: [(x as JsInput).shape[1] as number], dtype: 'float32' }],
  compute([x], [y]) {
    const [rows, cols] = (x as JsInput).shape as [number, number];
    const src = (x as JsInput).data as Float32Array;
    const out = y as Float32Array;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) out[c] += src[base + c] as number;
    }
  },
};
