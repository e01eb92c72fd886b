/*
 * Exact GELU y = x·Φ(x) and its derivative Φ(x) + x·φ(x) on four lanes at a time; erf by
 * Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), sharing the one exp(−x²/2) with φ, as
 * gelu.ts does in JavaScript.
 */
#include "vexp.h"

/* GELU's constants, made once per call (opaque.h). */
typedef struct {
  vexp_constants exp;
  v128_t minus_half, rsqrt2, one, a, p0, p1, p2, p3, p4, sign, half, rsqrt2pi;
} gelu_constants;

static inline gelu_constants gelu_make_constants(void) {
  gelu_constants c = {
      .exp = vexp_make_constants(),
      .minus_half = opaque(wasm_f32x4_splat(-0.5f)),
      .rsqrt2 = opaque(wasm_f32x4_splat(0.70710678f)),
      .one = opaque(wasm_f32x4_splat(1.0f)),
      .a = opaque(wasm_f32x4_splat(0.3275911f)),
      .p0 = opaque(wasm_f32x4_splat(1.061405429f)),
      .p1 = opaque(wasm_f32x4_splat(-1.453152027f)),
      .p2 = opaque(wasm_f32x4_splat(1.421413741f)),
      .p3 = opaque(wasm_f32x4_splat(-0.284496736f)),
      .p4 = opaque(wasm_f32x4_splat(0.254829592f)),
      .sign = opaque(wasm_i32x4_splat((int)0x80000000)),
      .half = opaque(wasm_f32x4_splat(0.5f)),
      .rsqrt2pi = opaque(wasm_f32x4_splat(0.39894228f)),
  };
  return c;
}

static inline void gelu4(const gelu_constants *c, const float *x, float *y, float *dydx) {
  v128_t v = wasm_v128_load(x);
  v128_t e = vexp(&c->exp, wasm_f32x4_mul(c->minus_half, wasm_f32x4_mul(v, v)));
  v128_t a = wasm_f32x4_abs(wasm_f32x4_mul(v, c->rsqrt2));
  v128_t t = wasm_f32x4_div(c->one, wasm_f32x4_add(c->one, wasm_f32x4_mul(a, c->a)));
  v128_t p = c->p0;
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), c->p1);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), c->p2);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), c->p3);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), c->p4);
  v128_t erf_abs = wasm_f32x4_sub(c->one, wasm_f32x4_mul(wasm_f32x4_mul(p, t), e));
  /* erf is odd: take the sign of x. */
  v128_t erf = wasm_v128_or(erf_abs, wasm_v128_and(v, c->sign));
  v128_t cdf = wasm_f32x4_mul(c->half, wasm_f32x4_add(c->one, erf));
  wasm_v128_store(y, wasm_f32x4_mul(v, cdf));
  v128_t pdf = wasm_f32x4_mul(e, c->rsqrt2pi);
  wasm_v128_store(dydx, wasm_f32x4_add(cdf, wasm_f32x4_mul(v, pdf)));
}

void gelu_forward(const float *x, float *y, float *dydx, int n) {
  const gelu_constants c = gelu_make_constants();
  int i = 0;
  for (; i + 4 <= n; i += 4) gelu4(&c, x + i, y + i, dydx + i);
  if (i < n) {
    float in[4] = {0, 0, 0, 0}, out[4], d[4];
    for (int j = i; j < n; j++) in[j - i] = x[j];
    gelu4(&c, in, out, d);
    for (int j = i; j < n; j++) {
      y[j] = out[j - i];
      dydx[j] = d[j - i];
    }
  }
}
