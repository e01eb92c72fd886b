/*
 * Exact GELU y = x·Φ(x) and its derivative Φ(x) + x·φ(x) on four lanes at a time; erf by
 * Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), sharing the one exp(−x²/2) with φ, as
 * gelu.ts does in JavaScript.
 */
#include "vexp.h"

static void gelu4(const float *x, float *y, float *dydx) {
  v128_t v = wasm_v128_load(x);
  v128_t e = vexp(wasm_f32x4_mul(wasm_f32x4_splat(-0.5f), wasm_f32x4_mul(v, v)));
  v128_t a = wasm_f32x4_abs(wasm_f32x4_mul(v, wasm_f32x4_splat(0.70710678f)));
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t t = wasm_f32x4_div(one, wasm_f32x4_add(one, wasm_f32x4_mul(a, wasm_f32x4_splat(0.3275911f))));
  v128_t p = wasm_f32x4_splat(1.061405429f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(-1.453152027f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(1.421413741f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(-0.284496736f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(0.254829592f));
  v128_t erf_abs = wasm_f32x4_sub(one, wasm_f32x4_mul(wasm_f32x4_mul(p, t), e));
  /* erf is odd: take the sign of x. */
  v128_t sign = wasm_v128_and(v, wasm_i32x4_splat((int)0x80000000));
  v128_t erf = wasm_v128_or(erf_abs, sign);
  v128_t cdf = wasm_f32x4_mul(wasm_f32x4_splat(0.5f), wasm_f32x4_add(one, erf));
  wasm_v128_store(y, wasm_f32x4_mul(v, cdf));
  v128_t pdf = wasm_f32x4_mul(e, wasm_f32x4_splat(0.39894228f));
  wasm_v128_store(dydx, wasm_f32x4_add(cdf, wasm_f32x4_mul(v, pdf)));
}

void gelu_forward(const float *x, float *y, float *dydx, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) gelu4(x + i, y + i, dydx + i);
  if (i < n) {
    float in[4] = {0, 0, 0, 0}, out[4], d[4];
    for (int j = i; j < n; j++) in[j - i] = x[j];
    gelu4(in, out, d);
    for (int j = i; j < n; j++) {
      y[j] = out[j - i];
      dydx[j] = d[j - i];
    }
  }
}
