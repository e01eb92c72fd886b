// Streaming fusion's arithmetic in WebAssembly SIMD: out[i] = Σ_k w[k] · x_k[i] for the members'
// storage dtype (F32, F16, BF16, F64), summed in float64 member after member (the same roundings
// as summing one member at a time), then rounded to the dtype (float64 → float32 → 16 bits, each
// to nearest even). Eight elements per step: four float64x2 accumulators.
//
// The module runs on several threads over one shared memory: these functions keep nothing in
// linear memory of their own (no static data, no stack), so the instances never collide. Pointers
// are byte offsets into that memory; `srcs` holds k member pointers, `w` k float64 weights, and
// every array is indexed by element from the same [from, to).
#include <stdint.h>
#include <wasm_simd128.h>

#include "../../../train/kernels/simd/opaque.h"

enum { DTYPE_F32 = 0, DTYPE_F16 = 1, DTYPE_BF16 = 2, DTYPE_F64 = 3 };

#define INLINE static inline __attribute__((always_inline))

typedef struct {
  v128_t lo, hi; // elements i, i+1 and i+2, i+3 as float64x2
} f64x4;

// The kernels' constants, made once per call (opaque.h says why).
typedef struct {
  v128_t sign16, low15, low16, abs32, rebias, min_normal, max_finite, float_exponent, inf16,
      quiet_nan16, one_half, one, round13, quiet_bf16, zero, low15_16, subnormal16_16,
      max_finite16_16, bias_normal, bias_subnormal, bias_special;
} constants;

INLINE constants make_constants(void) {
  constants c = {
      .sign16 = opaque(wasm_i32x4_splat(0x8000)),
      .low15 = opaque(wasm_i32x4_splat(0x7fff)),
      .low16 = opaque(wasm_i32x4_splat(0xffff)),
      .abs32 = opaque(wasm_i32x4_splat(0x7fffffff)),
      // float32 exponent bias minus the half's, in exponent-field units
      .rebias = opaque(wasm_i32x4_splat((127 - 15) << 23)),
      // 2^-14, the smallest normal half, as float32 bits
      .min_normal = opaque(wasm_i32x4_splat((127 - 14) << 23)),
      // just below 2^16 as float32 bits: above it (after rounding, 65520) a half is Infinity
      .max_finite = opaque(wasm_i32x4_splat(((127 + 16) << 23) - 1)),
      .float_exponent = opaque(wasm_i32x4_splat(0x7f800000)),
      .inf16 = opaque(wasm_i32x4_splat(0x7c00)),
      .quiet_nan16 = opaque(wasm_i32x4_splat(0x7e00)),
      .one_half = opaque(wasm_f32x4_splat(0.5f)),
      .one = opaque(wasm_i32x4_splat(1)),
      .round13 = opaque(wasm_i32x4_splat(0xfff)),
      .quiet_bf16 = opaque(wasm_i32x4_splat(0x40)),
      .zero = opaque(wasm_i32x4_splat(0)),
      // the same half-precision limits, in 16-bit lanes
      .low15_16 = opaque(wasm_i16x8_splat(0x7fff)),
      .subnormal16_16 = opaque(wasm_i16x8_splat(0x0400)),
      .max_finite16_16 = opaque(wasm_i16x8_splat(0x7bff)),
      // added to a half's magnitude >> 3 to make a float32's high 16 bits: exponent + 112 for
      // normal halves, 2^-14 (exponent field 113) for subnormal ones, 255 for Inf and NaN (31 + 224)
      .bias_normal = opaque(wasm_i16x8_splat(112 << 7)),
      .bias_subnormal = opaque(wasm_i16x8_splat(113 << 7)),
      .bias_special = opaque(wasm_i16x8_splat(224 << 7)),
  };
  return c;
}

// ---- decoding eight elements (two f64x4, exact) ----

// Eight IEEE halves → two float32x4, by integer work on the bits in 16-bit lanes (eight at a time)
// and never arithmetic on float32 subnormals (x86 takes a slow microcode path for those, ten times
// slower on random halves). Each float32 is built as its high and low 16 bits, interleaved:
// - normal halves: the exponent rebiased (+112) in the high bits, the mantissa's last 3 bits in
//   the low ones;
// - subnormal halves (m · 2^-24) are built as 2^-14 · (1 + m/1024), and 2^-14 (with the sign)
//   subtracted in float32, exactly; every other lane subtracts a zero, which changes nothing
//   (-0 may become +0: the sums start from +0, so a zero's sign never shows);
// - Inf and NaN get an all-ones exponent (NaN payloads kept).
INLINE void half8_to_float(const constants *c, v128_t h, v128_t *lo, v128_t *hi) {
  v128_t magnitude = wasm_v128_and(h, c->low15_16);
  v128_t sign = wasm_v128_xor(h, magnitude);
  v128_t is_subnormal = wasm_i16x8_lt(magnitude, c->subnormal16_16);
  v128_t is_special = wasm_i16x8_gt(magnitude, c->max_finite16_16);
  v128_t bias = wasm_v128_bitselect(c->bias_special, wasm_v128_bitselect(c->bias_subnormal,
      c->bias_normal, is_subnormal), is_special);
  v128_t high = wasm_v128_or(wasm_i16x8_add(wasm_u16x8_shr(magnitude, 3), bias), sign);
  v128_t low = wasm_i16x8_shl(magnitude, 13);
  v128_t offset = wasm_v128_or(wasm_v128_and(is_subnormal, c->bias_subnormal), sign);
  *lo = wasm_f32x4_sub(wasm_i16x8_shuffle(low, high, 0, 8, 1, 9, 2, 10, 3, 11),
                       wasm_i16x8_shuffle(c->zero, offset, 0, 8, 1, 9, 2, 10, 3, 11));
  *hi = wasm_f32x4_sub(wasm_i16x8_shuffle(low, high, 4, 12, 5, 13, 6, 14, 7, 15),
                       wasm_i16x8_shuffle(c->zero, offset, 4, 12, 5, 13, 6, 14, 7, 15));
}

// bfloat16 is the high half of a float32: interleaved under zero low halves.
INLINE void bfloat8_to_float(const constants *c, v128_t h, v128_t *lo, v128_t *hi) {
  *lo = wasm_i16x8_shuffle(c->zero, h, 0, 8, 1, 9, 2, 10, 3, 11);
  *hi = wasm_i16x8_shuffle(c->zero, h, 4, 12, 5, 13, 6, 14, 7, 15);
}

INLINE f64x4 promote4(v128_t f) {
  f64x4 r = {wasm_f64x2_promote_low_f32x4(f),
             wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(f, f, 1, 1))};
  return r;
}

INLINE f64x4 load4_f64(const uint8_t *p) {
  f64x4 r = {wasm_v128_load(p), wasm_v128_load(p + 16)};
  return r;
}

INLINE void load8(const constants *c, int dtype, const uint8_t *p, f64x4 *a, f64x4 *b) {
  if (dtype == DTYPE_F64) {
    *a = load4_f64(p);
    *b = load4_f64(p + 32);
  } else if (dtype == DTYPE_F32) {
    *a = promote4(wasm_v128_load(p));
    *b = promote4(wasm_v128_load(p + 16));
  } else {
    v128_t lo, hi;
    if (dtype == DTYPE_F16) half8_to_float(c, wasm_v128_load(p), &lo, &hi);
    else bfloat8_to_float(c, wasm_v128_load(p), &lo, &hi);
    *a = promote4(lo);
    *b = promote4(hi);
  }
}

INLINE int element_size(int dtype) {
  return dtype == DTYPE_F64 ? 8 : dtype == DTYPE_F32 ? 4 : 2;
}

INLINE void add_product(f64x4 *acc, v128_t w, f64x4 x) {
  acc->lo = wasm_f64x2_add(acc->lo, wasm_f64x2_mul(w, x.lo));
  acc->hi = wasm_f64x2_add(acc->hi, wasm_f64x2_mul(w, x.hi));
}

// Σ_k w[k] · x_k[i, i+8): starts from +0 like the scalar sum (so -0 members give +0).
INLINE void sum8(const constants *c, int dtype, const uint32_t *srcs, const double *w, int k,
                 int32_t i, f64x4 *a, f64x4 *b) {
  a->lo = a->hi = b->lo = b->hi = wasm_f64x2_splat(0.0);
  int size = element_size(dtype);
  for (int m = 0; m < k; m++) {
    f64x4 xa, xb;
    load8(c, dtype, (const uint8_t *)(uintptr_t)srcs[m] + (uint32_t)i * size, &xa, &xb);
    v128_t wm = wasm_f64x2_splat(w[m]);
    add_product(a, wm, xa);
    add_product(b, wm, xb);
  }
}

// ---- encoding four float64 to the dtype ----

INLINE v128_t demote4(f64x4 x) {
  v128_t lo = wasm_f32x4_demote_f64x2_zero(x.lo);
  v128_t hi = wasm_f32x4_demote_f64x2_zero(x.hi);
  return wasm_i64x2_shuffle(lo, hi, 0, 2);
}

// float32 → IEEE half, to nearest even: at or above 2^16 Infinity (NaN → quiet NaN 0x7e00);
// below 2^-14 adding 0.5 in float32 rounds to units of 2^-24 (the half's subnormal step); else
// rebias the exponent and round the 13 dropped bits by adding 0xfff plus the lowest kept bit.
INLINE v128_t float_to_half(const constants *c, v128_t bits) {
  v128_t sign = wasm_v128_and(wasm_u32x4_shr(bits, 16), c->sign16);
  v128_t abs = wasm_v128_and(bits, c->abs32);
  v128_t overflow = wasm_v128_bitselect(c->quiet_nan16, c->inf16,
                                        wasm_i32x4_gt(abs, c->float_exponent));
  v128_t subnormal = wasm_i32x4_sub(wasm_f32x4_add(abs, c->one_half), c->one_half);
  v128_t odd = wasm_v128_and(wasm_u32x4_shr(abs, 13), c->one);
  v128_t normal = wasm_u32x4_shr(
      wasm_i32x4_add(wasm_i32x4_sub(abs, c->rebias), wasm_i32x4_add(c->round13, odd)), 13);
  v128_t small = wasm_i32x4_lt(abs, c->min_normal);
  v128_t large = wasm_i32x4_gt(abs, c->max_finite);
  v128_t half = wasm_v128_bitselect(subnormal, normal, small);
  return wasm_v128_or(wasm_v128_bitselect(overflow, half, large), sign);
}

// float32 → bfloat16, to nearest even; NaN keeps its payload with the quiet bit set.
INLINE v128_t float_to_bfloat16(const constants *c, v128_t bits) {
  v128_t high = wasm_u32x4_shr(bits, 16);
  v128_t rounded = wasm_u32x4_shr(
      wasm_i32x4_add(bits, wasm_i32x4_add(c->low15, wasm_v128_and(high, c->one))), 16);
  v128_t nan = wasm_v128_or(high, c->quiet_bf16);
  v128_t is_nan = wasm_i32x4_gt(wasm_v128_and(bits, c->abs32), c->float_exponent);
  return wasm_v128_and(wasm_v128_bitselect(nan, rounded, is_nan), c->low16);
}

INLINE void store4(const constants *c, int dtype, uint8_t *p, f64x4 x) {
  if (dtype == DTYPE_F64) {
    wasm_v128_store(p, x.lo);
    wasm_v128_store(p + 16, x.hi);
    return;
  }
  v128_t f = demote4(x);
  if (dtype == DTYPE_F32) {
    wasm_v128_store(p, f);
    return;
  }
  v128_t codes = dtype == DTYPE_F16 ? float_to_half(c, f) : float_to_bfloat16(c, f);
  wasm_v128_store64_lane(p, wasm_u16x8_narrow_i32x4(codes, codes), 0);
}

// ---- entry points (specialised per dtype by the switch, so the loops hold no branches) ----
//
// The last step of a range that is not a multiple of 8 reads up to 7 elements past `to` in every
// member and writes up to 7 past `to`: the caller gives every array room for `to` rounded up to a
// multiple of 8 (those lanes' values are never used).

#define FOR_EACH_DTYPE(dtype, ...)                                                             \
  switch (dtype) {                                                                             \
  case DTYPE_F32: { const int d = DTYPE_F32; __VA_ARGS__; } break;                             \
  case DTYPE_F16: { const int d = DTYPE_F16; __VA_ARGS__; } break;                             \
  case DTYPE_BF16: { const int d = DTYPE_BF16; __VA_ARGS__; } break;                           \
  case DTYPE_F64: { const int d = DTYPE_F64; __VA_ARGS__; } break;                             \
  }

// out[from, to) = the weighted sum of the members (dtype `in`), stored as `out_dtype`.
INLINE void sum_into(const constants *c, int in, int out_dtype, uint8_t *out, const uint32_t *srcs,
                     const double *w, int k, int32_t from, int32_t to) {
  int size = element_size(out_dtype);
  for (int32_t i = from; i < to; i += 8) {
    f64x4 a, b;
    sum8(c, in, srcs, w, k, i, &a, &b);
    store4(c, out_dtype, out + (uint32_t)i * size, a);
    store4(c, out_dtype, out + (uint32_t)(i + 4) * size, b);
  }
}

// The weighted sum of the members over [from, to), written in their dtype.
void fuse_range(int dtype, uint8_t *out, const uint32_t *srcs, const double *w, int k,
                int32_t from, int32_t to) {
  const constants c = make_constants();
  FOR_EACH_DTYPE(dtype, sum_into(&c, d, d, out, srcs, w, k, from, to))
}

// The weighted sum of the members over [from, to), as float64 (for loops that work on the sums).
void sum_range(int dtype, double *acc, const uint32_t *srcs, const double *w, int k,
               int32_t from, int32_t to) {
  const constants c = make_constants();
  FOR_EACH_DTYPE(dtype, sum_into(&c, d, DTYPE_F64, (uint8_t *)acc, srcs, w, k, from, to))
}

// float64 sums over [from, to) rounded to the dtype.
void encode_range(int dtype, uint8_t *out, const double *acc, int32_t from, int32_t to) {
  const constants c = make_constants();
  FOR_EACH_DTYPE(dtype, {
    for (int32_t i = from; i < to; i += 4)
      store4(&c, d, out + (uint32_t)i * element_size(d), load4_f64((const uint8_t *)(acc + i)));
  })
}
