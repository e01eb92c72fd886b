/*
 * Fused multi-head self-attention (forward and backward) for the encoder, compiled to
 * WebAssembly with 128-bit SIMD by scripts/build-simd-wasm.mjs. The wasm backend of TF.js runs
 * batched matMuls in a scalar loop; these products run here with f32x4 vectors instead, and
 * the head split/merge transposes, the scaling, the mask, the softmax and the attention
 * dropout happen in the same pass.
 *
 * Layouts (row-major float32): q, k, v, context and their gradients are [B*T, H] with
 * H = heads * d (head h of token i is the d floats at i*H + h*d); bias is the additive mask
 * [B, T]; probs (softmax before dropout, kept for the backward) is [B, heads, T, T].
 * Attention dropout masks element e of probs as dropout.h does (the BomfDropout kernel applied to
 * a [B, heads, T, T] tensor).
 */
#include <wasm_simd128.h>

#include "dropout.h"

/* e^x for x <= 0 (softmax arguments after subtracting the row maximum): 2^n · p(r). */
static float exp_nonpositive(float x) {
  if (x < -87.0f) return 0.0f;
  float n = __builtin_floorf(x * 1.44269504f + 0.5f);
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  union { u32 i; float f; } two_n = {(u32)((int)n + 127) << 23};
  return p * two_n.f;
}

/* C[M×N] = A[M×K] · B[K×N]; rows of each start `ld*` floats apart. Blocks of 4 rows × 8 columns. */
static void gemm(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C,
                 int ldc) {
  int n8 = N & ~7;
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    const float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    float *c0 = C + i * ldc;
    for (int j = 0; j < n8; j += 8) {
      v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s10 = s00, s11 = s00;
      v128_t s20 = s00, s21 = s00, s30 = s00, s31 = s00;
      const float *b = B + j;
      for (int k = 0; k < K; k++, b += ldb) {
        v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        v128_t x = wasm_f32x4_splat(a0[k]);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x, b0));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x, b1));
        x = wasm_f32x4_splat(a1[k]);
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x, b0));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x, b1));
        x = wasm_f32x4_splat(a2[k]);
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(x, b0));
        s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(x, b1));
        x = wasm_f32x4_splat(a3[k]);
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(x, b0));
        s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(x, b1));
      }
      float *c = c0 + j;
      wasm_v128_store(c, s00);
      wasm_v128_store(c + 4, s01);
      wasm_v128_store(c + ldc, s10);
      wasm_v128_store(c + ldc + 4, s11);
      wasm_v128_store(c + 2 * ldc, s20);
      wasm_v128_store(c + 2 * ldc + 4, s21);
      wasm_v128_store(c + 3 * ldc, s30);
      wasm_v128_store(c + 3 * ldc + 4, s31);
    }
  }
  /* Leftover rows, 8 columns at a time. */
  for (; i < M; i++) {
    const float *a = A + i * lda;
    for (int j = 0; j < n8; j += 8) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0;
      const float *b = B + j;
      for (int k = 0; k < K; k++, b += ldb) {
        v128_t x = wasm_f32x4_splat(a[k]);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x, wasm_v128_load(b)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x, wasm_v128_load(b + 4)));
      }
      wasm_v128_store(C + i * ldc + j, s0);
      wasm_v128_store(C + i * ldc + j + 4, s1);
    }
  }
  /* Leftover columns, scalar. */
  for (int r = 0; r < M; r++)
    for (int j = n8; j < N; j++) {
      float s = 0;
      for (int k = 0; k < K; k++) s += A[r * lda + k] * B[k * ldb + j];
      C[r * ldc + j] = s;
    }
}

/* dst[C×R] = src[R×C]ᵀ, src rows `lds` floats apart, dst rows dense. */
static void transpose(int R, int C, const float *src, int lds, float *dst) {
  for (int r = 0; r < R; r++)
    for (int c = 0; c < C; c++) dst[c * R + r] = src[r * lds + c];
}

/* Floats of scratch memory attention_forward / attention_backward need. */
int attention_scratch_floats(int T, int d) { return 3 * T * T + d * T; }

/*
 * context = dropout(softmax(scale · q kᵀ + bias)) · v per sequence and head; writes probs
 * (before dropout) when `probs` is not null. rate = 0 turns dropout off.
 */
void attention_forward(const float *q, const float *k, const float *v, const float *bias,
                       float *context, float *probs, float *scratch, int B, int T, int heads,
                       int d, float scale, double rate, int seed) {
  int H = heads * d;
  float *kt = scratch, *s = kt + d * T, *dropped = s + T * T;
  for (int b = 0; b < B; b++)
    for (int h = 0; h < heads; h++) {
      int off = b * T * H + h * d;
      transpose(T, d, k + off, H, kt);
      gemm(T, T, d, q + off, H, kt, T, s, T);
      const float *mask = bias + b * T;
      for (int i = 0; i < T; i++) {
        float *row = s + i * T;
        float max = -3.4e38f;
        for (int j = 0; j < T; j++) {
          row[j] = row[j] * scale + mask[j];
          if (row[j] > max) max = row[j];
        }
        float sum = 0;
        for (int j = 0; j < T; j++) sum += (row[j] = exp_nonpositive(row[j] - max));
        float inv = 1.0f / sum;
        for (int j = 0; j < T; j++) row[j] *= inv;
      }
      u32 first = (u32)(b * heads + h) * (u32)(T * T);
      if (probs) {
        float *dst = probs + first;
        for (int e = 0; e < T * T; e++) dst[e] = s[e];
      }
      float *p = s;
      if (rate > 0) {
        for (int e = 0; e < T * T; e++) dropped[e] = s[e];
        dropout_apply(dropped, dropped, T * T, first, (u32)seed, rate);
        p = dropped;
      }
      gemm(T, d, T, p, T, v + off, H, context + off, H);
    }
}

/*
 * Gradients of attention_forward with respect to q, k and v, given dcontext and the saved
 * probs; the dropout mask is recomputed from the seed.
 */
void attention_backward(const float *dcontext, const float *q, const float *k, const float *v,
                        const float *probs, float *dq, float *dk, float *dv, float *scratch,
                        int B, int T, int heads, int d, float scale, double rate, int seed) {
  int H = heads * d;
  float *vt = scratch, *pd = vt + d * T, *t1 = pd + T * T, *t2 = t1 + T * T;
  for (int b = 0; b < B; b++)
    for (int h = 0; h < heads; h++) {
      int off = b * T * H + h * d;
      u32 first = (u32)(b * heads + h) * (u32)(T * T);
      const float *p = probs + first;
      /* dv = dropout(p)ᵀ · dcontext */
      for (int e = 0; e < T * T; e++) pd[e] = p[e];
      if (rate > 0) dropout_apply(pd, pd, T * T, first, (u32)seed, rate);
      transpose(T, T, pd, T, t1);
      gemm(T, d, T, t1, T, dcontext + off, H, dv + off, H);
      /* dp = dropout'(dcontext · vᵀ) */
      transpose(T, d, v + off, H, vt);
      gemm(T, T, d, dcontext + off, H, vt, T, pd, T);
      if (rate > 0) dropout_apply(pd, pd, T * T, first, (u32)seed, rate);
      /* ds = scale · p ⊙ (dp − Σ_j dp ⊙ p), the softmax backward with the 1/√d folded in */
      for (int i = 0; i < T; i++) {
        const float *pr = p + i * T;
        float *g = pd + i * T;
        float dot = 0;
        for (int j = 0; j < T; j++) dot += g[j] * pr[j];
        for (int j = 0; j < T; j++) g[j] = scale * pr[j] * (g[j] - dot);
      }
      /* dq = ds · k, dk = dsᵀ · q */
      gemm(T, d, T, pd, T, k + off, H, dq + off, H);
      transpose(T, T, pd, T, t2);
      gemm(T, d, T, t2, T, q + off, H, dk + off, H);
    }
}
