/*
 * V8 rebuilds a v128.const from immediates at every use (several instructions) and does not hoist
 * it out of loops, while clang folds any constant into every use. A constant passed through
 * `opaque` before a loop is made once: the empty asm statement hides its value from clang, which
 * keeps it in a local.
 */
#ifndef BOMF_OPAQUE_H
#define BOMF_OPAQUE_H
#include <wasm_simd128.h>

static inline v128_t opaque(v128_t v) {
  __asm__("" : "+r"(v));
  return v;
}
#endif
