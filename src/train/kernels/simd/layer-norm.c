/*
 * Layer normalisation over rows of x [rows, h] (layer-norm.ts has the formulas), four columns
 * per f32x4 step and a scalar tail for h not divisible by 4.
 */
#include <wasm_simd128.h>

static float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +
         wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

/* y = (x − μ)·r·γ + β with r = 1/√(σ² + eps); also writes μ and r per row. */
void layer_norm_forward(const float *x, const float *gamma, const float *beta, float *y,
                        float *mean, float *rstd, int rows, int h, float eps) {
  int h4 = h & ~3;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * h;
    float *yr = y + r * h;
    v128_t acc = wasm_f32x4_splat(0);
    for (int j = 0; j < h4; j += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(xr + j));
    float s = hsum(acc);
    for (int j = h4; j < h; j++) s += xr[j];
    float mu = s / (float)h;
    v128_t vmu = wasm_f32x4_splat(mu);
    acc = wasm_f32x4_splat(0);
    for (int j = 0; j < h4; j += 4) {
      v128_t d = wasm_f32x4_sub(wasm_v128_load(xr + j), vmu);
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(d, d));
    }
    float v = hsum(acc);
    for (int j = h4; j < h; j++) v += (xr[j] - mu) * (xr[j] - mu);
    float rs = 1.0f / __builtin_sqrtf(v / (float)h + eps);
    mean[r] = mu;
    rstd[r] = rs;
    v128_t vrs = wasm_f32x4_splat(rs);
    for (int j = 0; j < h4; j += 4) {
      v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), vmu), vrs);
      wasm_v128_store(yr + j, wasm_f32x4_add(wasm_f32x4_mul(xh, wasm_v128_load(gamma + j)),
                                             wasm_v128_load(beta + j)));
    }
    for (int j = h4; j < h; j++) yr[j] = (xr[j] - mu) * rs * gamma[j] + beta[j];
  }
}

/*
 * With x̂ = (x − μ)·r and g = dy·γ: dx = r·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ_rows dy·x̂,
 * dβ = Σ_rows dy (dgamma and dbeta are overwritten).
 */
void layer_norm_backward(const float *dy, const float *x, const float *gamma, const float *mean,
                         const float *rstd, float *dx, float *dgamma, float *dbeta, int rows,
                         int h) {
  int h4 = h & ~3;
  for (int j = 0; j < h; j++) dgamma[j] = dbeta[j] = 0;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * h, *dyr = dy + r * h;
    float *dxr = dx + r * h;
    v128_t vmu = wasm_f32x4_splat(mean[r]), vrs = wasm_f32x4_splat(rstd[r]);
    v128_t sg = wasm_f32x4_splat(0), sgx = sg;
    for (int j = 0; j < h4; j += 4) {
      v128_t d = wasm_v128_load(dyr + j);
      v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), vmu), vrs);
      v128_t g = wasm_f32x4_mul(d, wasm_v128_load(gamma + j));
      sg = wasm_f32x4_add(sg, g);
      sgx = wasm_f32x4_add(sgx, wasm_f32x4_mul(g, xh));
      wasm_v128_store(dgamma + j, wasm_f32x4_add(wasm_v128_load(dgamma + j), wasm_f32x4_mul(d, xh)));
      wasm_v128_store(dbeta + j, wasm_f32x4_add(wasm_v128_load(dbeta + j), d));
    }
    float sumG = hsum(sg), sumGX = hsum(sgx);
    for (int j = h4; j < h; j++) {
      float xh = (xr[j] - mean[r]) * rstd[r], g = dyr[j] * gamma[j];
      sumG += g;
      sumGX += g * xh;
      dgamma[j] += dyr[j] * xh;
      dbeta[j] += dyr[j];
    }
    v128_t mg = wasm_f32x4_splat(sumG / (float)h), mgx = wasm_f32x4_splat(sumGX / (float)h);
    for (int j = 0; j < h4; j += 4) {
      v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), vmu), vrs);
      v128_t g = wasm_f32x4_mul(wasm_v128_load(dyr + j), wasm_v128_load(gamma + j));
      v128_t inner = wasm_f32x4_sub(wasm_f32x4_sub(g, mg), wasm_f32x4_mul(xh, mgx));
      wasm_v128_store(dxr + j, wasm_f32x4_mul(vrs, inner));
    }
    for (int j = h4; j < h; j++) {
      float xh = (xr[j] - mean[r]) * rstd[r], g = dyr[j] * gamma[j];
      dxr[j] = rstd[r] * (g - sumG / (float)h - xh * (sumGX / (float)h));
    }
  }
}
