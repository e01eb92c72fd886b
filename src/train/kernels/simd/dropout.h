/*
 * Seeded inverted dropout: element e is kept iff lowbias32(seed ^ e·0x9e3779b1) / 2^32 >= rate
 * (C. Wellons' hash-prospector), i.e. iff the hash is at least ceil(rate · 2^32), and kept
 * elements are scaled by 1/(1 − rate). The mask is a pure function of (seed, e): the backward
 * pass recomputes it.
 */
#ifndef BOMF_DROPOUT_H
#define BOMF_DROPOUT_H
#include <wasm_simd128.h>

typedef unsigned int u32;

static inline v128_t lowbias32(v128_t seed, v128_t index) {
  v128_t h = wasm_v128_xor(seed, wasm_i32x4_mul(index, wasm_i32x4_splat((int)0x9e3779b1u)));
  h = wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
  h = wasm_i32x4_mul(h, wasm_i32x4_splat(0x7feb352d));
  h = wasm_v128_xor(h, wasm_u32x4_shr(h, 15));
  h = wasm_i32x4_mul(h, wasm_i32x4_splat((int)0x846ca68bu));
  return wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
}

/* y[e] = x[e]·keep(first + e)/(1 − rate) for e < n; x and y may be the same array. */
static inline void dropout_apply(const float *x, float *y, int n, u32 first, u32 seed, double rate) {
  double t = __builtin_ceil(rate * 4294967296.0);
  v128_t threshold = wasm_i32x4_splat((int)(u32)(t > 4294967295.0 ? 4294967295.0 : t));
  v128_t scale = wasm_f32x4_splat((float)(1.0 / (1.0 - rate)));
  v128_t seeds = wasm_i32x4_splat((int)seed);
  v128_t index = wasm_i32x4_add(wasm_i32x4_splat((int)first), wasm_i32x4_make(0, 1, 2, 3));
  int e = 0;
  for (; e + 4 <= n; e += 4, index = wasm_i32x4_add(index, wasm_i32x4_splat(4))) {
    v128_t keep = wasm_u32x4_ge(lowbias32(seeds, index), threshold);
    wasm_v128_store(y + e, wasm_v128_and(keep, wasm_f32x4_mul(wasm_v128_load(x + e), scale)));
  }
  if (e < n) {
    v128_t keep = wasm_u32x4_ge(lowbias32(seeds, index), threshold);
    float in[4] = {0, 0, 0, 0}, out[4];
    for (int j = e; j < n; j++) in[j - e] = x[j];
    wasm_v128_store(out, wasm_v128_and(keep, wasm_f32x4_mul(wasm_v128_load(in), scale)));
    for (int j = e; j < n; j++) y[j] = out[j - e];
  }
}
#endif
