/**
 * Registers the training kernels written in JavaScript: `UnsortedSegmentSum`
 * (missing on wasm; gradient of embeddings) and the fused layer norm, GELU,
 * dropout, transpose and attention kernels the encoder uses when the active
 * backend has them (GELU, transpose and attention run WebAssembly SIMD code,
 * simd/), plus a zero-copy Identity for wasm (identity.ts).
 */

import { columnSumKernel } from './column-sum';
import { dropoutKernel } from './dropout';
import { geluKernel } from './gelu';
import { registerZeroCopyIdentity } from './identity';
import { registerJsKernel } from './js-kernel';
import { layerNormGradKernel, layerNormKernel } from './layer-norm';
import { attentionGradKernel, attentionKernel } from './simd/attention';
import { transpose2DKernel } from './transpose';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum';

export { COLUMN_SUM } from './column-sum';
export { DROPOUT } from './dropout';
export { erf, GELU } from './gelu';
export { LAYER_NORM, LAYER_NORM_GRAD } from './layer-norm';
export { ATTENTION, ATTENTION_GRAD } from './simd/attention';
export { TRANSPOSE_2D } from './transpose';

const ALL = [
  unsortedSegmentSumKernel,
  layerNormKernel,
  layerNormGradKernel,
  geluKernel,
  dropoutKernel,
  transpose2DKernel,
  columnSumKernel,
  attentionKernel,
  attentionGradKernel,
];

/** Idempotent; kernels already provided by the backend are left alone. */
export function registerTrainingKernels(): void {
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const k of ALL) registerJsKernel(k, backend);
  }
  registerZeroCopyIdentity();
}
