/**
 * An encoder with the masked-language-model head used for pre-training
 * (HF `BertForMaskedLM` names: `cls.predictions.transform.dense`, `.LayerNorm`,
 * decoder tied to the word embeddings plus `cls.predictions.bias`).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../named-tensors';
import { seedCounter } from './classifier';
import type { EncoderConfig } from './config';
import { type Batch, dense, encode, type ForwardContext, param } from './encoder';
import { gelu, layerNorm, linear } from './ops';
import {
  createVariables,
  encoderParamSpecs,
  encoderPrefix,
  mlmHeadNames,
  mlmParamSpecs,
} from './params';
import { assignVariables, disposeVariables, readVariables } from './weights';

export class EncoderForMaskedLM {
  readonly config: EncoderConfig;
  readonly variables: Map<string, tf.Variable>;
  private readonly dropoutSeeds: () => number;

  constructor(config: EncoderConfig, seed = 0) {
    this.config = config;
    this.variables = createVariables(
      [...encoderParamSpecs(config), ...mlmParamSpecs(config)],
      seed,
    );
    this.dropoutSeeds = seedCounter(seed ^ 0x5bd1e995);
  }

  /**
   * Vocabulary logits [M, V] at the M flat positions `maskedPositions` (indices
   * b·T + j into the batch) — only masked tokens pay for the V-wide decoder.
   */
  forward(
    batch: Batch,
    maskedPositions: tf.Tensor1D,
    opts: { training: boolean; seed?: number },
  ): tf.Tensor2D {
    const ctx: ForwardContext = {
      config: this.config,
      vars: this.variables,
      training: opts.training,
      nextSeed: opts.seed === undefined ? this.dropoutSeeds : seedCounter(opts.seed),
    };
    const n = mlmHeadNames(this.config);
    const hidden = tf.gather(encode(ctx, batch), maskedPositions);
    const transformed = layerNorm(
      gelu(dense(ctx, n.dense, hidden)),
      param(ctx, `${n.layerNorm}.weight`),
      param(ctx, `${n.layerNorm}.bias`),
      this.config.layerNormEps,
    );
    const words = param<tf.Rank.R2>(
      ctx,
      `${encoderPrefix(this.config)}embeddings.word_embeddings.weight`,
    );
    // Decoder tied to the word embeddings [V, H], i.e. a linear layer with W = E.
    return linear(transformed, words, param(ctx, n.bias));
  }

  getWeights(): NamedTensors {
    return readVariables(this.variables);
  }

  setWeights(w: NamedTensors, opts: { strict?: boolean } = {}): void {
    assignVariables(this.variables, w, opts.strict ?? true);
  }

  dispose(): void {
    disposeVariables(this.variables);
  }
}
