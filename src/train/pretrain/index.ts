// Masked-language-model pre-training of the embedded encoder.
export type { LossRecord } from './checkpoint';
export { readCorpusLines } from './corpus';
export { type MaskedBatch, maskTokens } from './masking';
export { type PackedSequences, packSequences } from './packing';
export {
  EMBEDDING_INITS,
  type EmbeddingInit,
  initialWordEmbeddings,
  type PretrainOptions,
  type PretrainProgress,
  type PretrainResult,
  packCorpus,
  pretrainMaskedLM,
  specialIds,
} from './pretrain';
