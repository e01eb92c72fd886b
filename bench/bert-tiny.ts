/** The embedded model's architecture (the `bomf pretrain` recipe), for benchmarks of its shape. */
import { BOMF_TINY_RECIPE as recipe } from '../src/engine/commands/pretrain';
import type { EncoderConfig } from '../src/train/model';

export function bertTinyConfig(
  vocabSize: number,
  padTokenId: number,
  maxPositions: number = recipe.maxPositions,
): EncoderConfig {
  return {
    modelType: 'bert',
    vocabSize,
    hiddenSize: recipe.hiddenSize,
    numLayers: recipe.numLayers,
    numHeads: recipe.numHeads,
    intermediateSize: recipe.intermediateSize,
    maxPositions,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    hiddenDropout: 0.1,
    attentionDropout: 0.1,
    padTokenId,
  };
}
