// Masked-language-model pre-training of the embedded encoder.
export type { LossRecord } from './checkpoint';
export {
  contrastiveLoss,
  drawSentences,
  type SentenceBatch,
  type SentencePool,
  sentencePool,
} from './contrastive';
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
  pretrainedEncoderConfig,
  pretrainMaskedLM,
  wordVectorTable,
} from './pretrain';
export { specialIds } from './train-step';
