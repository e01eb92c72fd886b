/**
 * Layer normalisation over the last axis as two single-pass kernels (forward and
 * backward). Composed from TF.js ops it costs about a dozen kernels and as many
 * temporary tensors per call, forward and backward, which dominated a training
 * step of a small encoder on wasm.
 *
 * Forward:  y = (x − μ)·r·γ + β with r = 1/√(σ² + ε), per row of x [N, H].
 * Backward: with x̂ = (x − μ)·r and g = dy·γ,
 *           dx = r·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 */
import type { JsInput, JsKernel } from './js-kernel';

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
    const [x, gamma, beta] = inputs.map((i) => i.data as Float32Array) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const [y, mean, rstd] = outputs as [Float32Array, Float32Array, Float32Array];
    const eps = attrs.eps as number;
    const h = gamma.length;
    const rows = mean.length;
    for (let r = 0; r < rows; r++) {
      const o = r * h;
      let s = 0;
      for (let j = 0; j < h; j++) s += x[o + j] as number;
      const mu = s / h;
      let v = 0;
      for (let j = 0; j < h; j++) {
        const d = (x[o + j] as number) - mu;
        v += d * d;
      }
      const rs = 1 / Math.sqrt(v / h + eps);
      mean[r] = mu;
      rstd[r] = rs;
      for (let j = 0; j < h; j++)
        y[o + j] = ((x[o + j] as number) - mu) * rs * (gamma[j] as number) + (beta[j] as number);
    }
  },
};

/** Inputs dy, x [N,H], gamma [H], mean, rstd [N]; outputs dx [N,H], dgamma [H], dbeta [H]. */
export const layerNormGradKernel: JsKernel = {
  name: LAYER_NORM_GRAD,
  zeroOutputs: true,
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
    const [dy, x, gamma, mean, rstd] = inputs.map((i) => i.data as Float32Array) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const [dx, dgamma, dbeta] = outputs as [Float32Array, Float32Array, Float32Array];
    const h = gamma.length;
    const rows = mean.length;
    for (let r = 0; r < rows; r++) {
      const o = r * h;
      const mu = mean[r] as number;
      const rs = rstd[r] as number;
      let sumG = 0;
      let sumGX = 0;
      for (let j = 0; j < h; j++) {
        const d = dy[o + j] as number;
        const xh = ((x[o + j] as number) - mu) * rs;
        const g = d * (gamma[j] as number);
        sumG += g;
        sumGX += g * xh;
        dgamma[j] += d * xh;
        dbeta[j] += d;
      }
      const mG = sumG / h;
      const mGX = sumGX / h;
      for (let j = 0; j < h; j++) {
        const xh = ((x[o + j] as number) - mu) * rs;
        const g = (dy[o + j] as number) * (gamma[j] as number);
        dx[o + j] = rs * (g - mG - xh * mGX);
      }
    }
  },
};
