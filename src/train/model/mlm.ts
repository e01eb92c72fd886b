/**
 * An encoder with the masked-language-model head used for pre-training
 * (HF `BertForMaskedLM` names: `cls.predictions.transform.dense`, `.LayerNorm`,
 * decoder tied to the word embeddings plus `cls.predictions.bias`).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../named-tensors';
import { seedCounter } from './classifier';
import type { EncoderConfig } from './config';
import {
  type Batch,
  dense,
  encode,
  type ForwardContext,
  firstTokens,
  param,
  pool,
} from './encoder';
import { gelu, layerNorm, linear } from './ops';
import {
  createVariables,
  encoderParamSpecs,
  encoderPrefix,
  mlmHeadNames,
  mlmParamSpecs,
  poolerParamSpecs,
} from './params';
import { assignVariables, disposeVariables, readVariables } from './weights';

export class EncoderForMaskedLM {
  readonly config: EncoderConfig;
  readonly variables: Map<string, tf.Variable>;
  private readonly dropoutSeeds: () => number;

  /** `opts.pooler`: also BERT's pooler, for a sentence-level objective on [CLS]. */
  constructor(config: EncoderConfig, seed = 0, opts: { pooler?: boolean } = {}) {
    this.config = config;
    this.variables = createVariables(
      [
        ...encoderParamSpecs(config),
        ...mlmParamSpecs(config),
        ...(opts.pooler ? poolerParamSpecs(config) : []),
      ],
      seed,
    );
    this.dropoutSeeds = seedCounter(seed ^ 0x5bd1e995);
  }

  private context(opts: { training: boolean; seed?: number }): ForwardContext {
    return {
      config: this.config,
      vars: this.variables,
      training: opts.training,
      nextSeed: opts.seed === undefined ? this.dropoutSeeds : seedCounter(opts.seed),
    };
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
    const ctx = this.context(opts);
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

  /** Pooled [CLS] vectors [B, H] (needs the pooler, see the constructor). */
  pooled(batch: Batch, opts: { training: boolean; seed?: number }): tf.Tensor2D {
    const ctx = this.context(opts);
    const [b, t] = batch.inputIds.shape;
    return pool(ctx, firstTokens(encode(ctx, batch), b, t));
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
