/* e^x on four float32 lanes (Cephes-style: 2^n · p(r), |r| <= ln2/2), x clamped to [-87, 88]. */
#ifndef BOMF_VEXP_H
#define BOMF_VEXP_H
#include "opaque.h"

/* vexp's constants, made once per kernel call (opaque.h). */
typedef struct {
  v128_t hi, lo, log2e, half, ln2_hi, ln2_lo, p0, p1, p2, p3, p4, p5, one, exponent_magic;
} vexp_constants;

static inline vexp_constants vexp_make_constants(void) {
  vexp_constants c = {
      .hi = opaque(wasm_f32x4_splat(88.0f)),
      .lo = opaque(wasm_f32x4_splat(-87.0f)),
      .log2e = opaque(wasm_f32x4_splat(1.44269504f)),
      .half = opaque(wasm_f32x4_splat(0.5f)),
      .ln2_hi = opaque(wasm_f32x4_splat(0.693359375f)),
      .ln2_lo = opaque(wasm_f32x4_splat(2.12194440e-4f)),
      .p0 = opaque(wasm_f32x4_splat(1.9875691500e-4f)),
      .p1 = opaque(wasm_f32x4_splat(1.3981999507e-3f)),
      .p2 = opaque(wasm_f32x4_splat(8.3334519073e-3f)),
      .p3 = opaque(wasm_f32x4_splat(4.1665795894e-2f)),
      .p4 = opaque(wasm_f32x4_splat(1.6666665459e-1f)),
      .p5 = opaque(wasm_f32x4_splat(5.0000001201e-1f)),
      .one = opaque(wasm_f32x4_splat(1.0f)),
      /* 2^23 + 127: adding it to an integer n in [-126, 127] leaves n + 127 in the low mantissa bits */
      .exponent_magic = opaque(wasm_f32x4_splat(8388608.0f + 127.0f)),
  };
  return c;
}

static inline v128_t vexp(const vexp_constants *c, v128_t x) {
  /* pmin/pmax are single instructions; min/max's NaN and -0 rules cost V8 several (the clamped
     value is the same: a NaN stays NaN either way). */
  x = wasm_f32x4_pmax(wasm_f32x4_pmin(x, c->hi), c->lo);
  v128_t n = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(x, c->log2e), c->half));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, c->ln2_hi));
  r = wasm_f32x4_add(r, wasm_f32x4_mul(n, c->ln2_lo));
  v128_t p = c->p0;
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), c->p1);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), c->p2);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), c->p3);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), c->p4);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), c->p5);
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), wasm_f32x4_add(r, c->one));
  /* 2^n: n + 127 into the exponent field, by float addition (V8's float-to-int conversion is a long
     sequence); the shift drops the magic number's own exponent bits. */
  v128_t two_n = wasm_i32x4_shl(wasm_f32x4_add(n, c->exponent_magic), 23);
  return wasm_f32x4_mul(p, two_n);
}
#endif
