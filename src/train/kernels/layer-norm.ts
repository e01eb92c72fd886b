/**
 * Layer normalisation over the last axis as two single-pass kernels (forward and
 * backward). Composed from TF.js ops it costs about a dozen kernels and as many
 * temporary tensors per call, forward and backward, which dominated a training
 * step of a small encoder on wasm.
 *
 * Forward:  y = (x − μ)·r·γ + β with r = 1/√(σ² + ε), per row of x [N, H].
 * Backward: with x̂ = (x − μ)·r and g = dy·γ,
 *           dx = r·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 * Both run in WebAssembly SIMD (simd/layer-norm.c).
 */
import type { JsInput, JsKernel } from './js-kernel';
import { callSimd } from './simd/module';

export const LAYER_NORM = 'BomfLayerNorm';
export const LAYER_NORM_GRAD = 'BomfLayerNormGrad';

/** Inputs x [N,H], gamma [H], beta [H]; outputs y [N,H], mean [N], rstd [N]. */
export const layerNormKernel: JsKernel = {
  name: LAYER_NORM,
  inputNames: ['x', 'gamma', 'beta'],
  plan([x]) {
    const s = (x as JsInput).shape;
    const rows = s.slice(0, -1).reduce((a, b) => a * b, 1);
    return [
      { shape: s, dtype: 'float32' },
      { shape: [rows], dtype: 'float32' },
      { shape: [rows], dtype: 'float32' },
    ];
  },
  compute(inputs, outputs, attrs) {
    const ins = inputs.map((i) => i.data as Float32Array);
    const h = (inputs[1] as JsInput).data.length;
    const rows = (outputs[1] as Float32Array).length;
    callSimd(ins, outputs as Float32Array[], 0, (w, [x, g, b, y, mean, rstd]) =>
      // biome-ignore format: one argument list of the C call
      w.layer_norm_forward(x as number, g as number, b as number, y as number, mean as number, rstd as number, rows, h, attrs.eps as number),
    );
  },
};

/** Inputs dy, x [N,H], gamma [H], mean, rstd [N]; outputs dx [N,H], dgamma [H], dbeta [H]. */
export const layerNormGradKernel: JsKernel = {
  name: LAYER_NORM_GRAD,
  inputNames: ['dy', 'x', 'gamma', 'mean', 'rstd'],
  plan([, x, gamma]) {
    const h = (gamma as JsInput).shape;
    return [
      { shape: (x as JsInput).shape, dtype: 'float32' },
      { shape: h, dtype: 'float32' },
      { shape: h, dtype: 'float32' },
    ];
  },
  compute(inputs, outputs) {
    const ins = inputs.map((i) => i.data as Float32Array);
    const h = (inputs[2] as JsInput).data.length;
    const rows = (inputs[3] as JsInput).data.length;
    callSimd(ins, outputs as Float32Array[], 0, (w, [dy, x, g, mean, rstd, dx, dg, db]) =>
      // biome-ignore format: one argument list of the C call
      w.layer_norm_backward(dy as number, x as number, g as number, mean as number, rstd as number, dx as number, dg as number, db as number, rows, h),
    );
  },
};
