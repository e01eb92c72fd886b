// The BERT-family encoder: config, classifier / regressor, masked-LM head.

export { EncoderClassifier, type ForwardOptions } from './classifier';
export {
  CLASSIFIER_POOLINGS,
  type ClassifierPooling,
  type EncoderConfig,
  encoderConfigFromHF,
  encoderConfigToHF,
  PAIR_ENCODINGS,
  type PairEncoding,
} from './config';
export { COSINE_REGRESSOR, labelRangeOf } from './cosine-head';
export type { Batch } from './encoder';
export { EncoderForMaskedLM } from './mlm';
export type { LoraAdapter } from './ops';
export { type PairEncodingSetting, resolvePairEncoding } from './pair-encoding';
export {
  type LoadedEncoder,
  loadPretrainedEncoder,
  readModelConfig,
  readModelWeights,
  type SaveOptions,
  savePretrainedEncoder,
} from './pretrained';
