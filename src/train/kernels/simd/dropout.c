/* The BomfDropout kernel (dropout.ts): dropout.h over a whole tensor, element indices from 0. */
#include "dropout.h"

void dropout_forward(const float *x, float *y, int n, int seed, double rate) {
  dropout_apply(x, y, n, 0, (u32)seed, rate);
}
