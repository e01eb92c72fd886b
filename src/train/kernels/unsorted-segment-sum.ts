/**
 * `UnsortedSegmentSum` for the wasm backend, which lacks it. TF.js needs it for
 * the gradient of `gather`, i.e. for training embedding tables: the rows of `x`
 * are added into `out[segmentIds[i]]`.
 */
import type { JsInput, JsKernel, JsOutputSpec } from './js-kernel';

export const unsortedSegmentSumKernel: JsKernel = {
  name: 'UnsortedSegmentSum',
  zeroOutputs: true,
  inputNames: ['x', 'segmentIds'],
  plan(inputs: JsInput[], attrs): JsOutputSpec[] {
    const [x, ids] = inputs as [JsInput, JsInput];
    const numSegments = attrs.numSegments as number;
    const outDtype = x.dtype === 'int32' ? 'int32' : 'float32';
    return [{ shape: [numSegments, ...x.shape.slice(ids.shape.length)], dtype: outDtype }];
  },
  compute(inputs, outputs, attrs) {
    const [x, ids] = inputs as [JsInput, JsInput];
    const out = outputs[0] as Float32Array;
    const numSegments = attrs.numSegments as number;
    const rows = ids.data.length;
    const width = rows === 0 ? 0 : x.data.length / rows;
    const xd = x.data;
    const idd = ids.data;
    for (let r = 0; r < rows; r++) {
      const seg = idd[r] as number;
      // TF drops negative / out-of-range ids (same as its CPU kernel).
      if (seg < 0 || seg >= numSegments) continue;
      const src = r * width;
      const dst = seg * width;
      for (let j = 0; j < width; j++) out[dst + j] += xd[src + j] as number;
    }
  },
};
