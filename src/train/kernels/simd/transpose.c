/*
 * Matrix transpose dst[C×R] = src[R×C]ᵀ in 32×32 cache blocks of 4×4 register tiles
 * (four row loads, eight lane shuffles, four column stores); the linear layers' weight
 * gradients need transposed activations because XNNPACK only multiplies plain a·b.
 */
#include <wasm_simd128.h>

#define BLOCK 32

static void tile4(const float *src, int cols, float *dst, int rows) {
  v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + cols);
  v128_t r2 = wasm_v128_load(src + 2 * cols), r3 = wasm_v128_load(src + 3 * cols);
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(dst, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
  wasm_v128_store(dst + rows, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
  wasm_v128_store(dst + 2 * rows, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
  wasm_v128_store(dst + 3 * rows, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
}

void transpose_2d(const float *src, float *dst, int rows, int cols) {
  int r4 = rows & ~3, c4 = cols & ~3;
  for (int r0 = 0; r0 < r4; r0 += BLOCK)
    for (int c0 = 0; c0 < c4; c0 += BLOCK) {
      int r1 = r0 + BLOCK < r4 ? r0 + BLOCK : r4, c1 = c0 + BLOCK < c4 ? c0 + BLOCK : c4;
      for (int r = r0; r < r1; r += 4)
        for (int c = c0; c < c1; c += 4) tile4(src + r * cols + c, cols, dst + c * rows + r, rows);
    }
  /* The ragged right columns and bottom rows, one element at a time. */
  for (int r = 0; r < rows; r++)
    for (int c = r < r4 ? c4 : 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}
