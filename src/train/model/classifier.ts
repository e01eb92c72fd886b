/**
 * A BERT / RoBERTa sequence classifier (or regressor with one output) whose
 * weights are TF.js variables named exactly like Hugging Face's
 * `BertForSequenceClassification` / `RobertaForSequenceClassification`; with
 * `pairEncoding: 'bi'`, a pair regressor scoring the cosine of its two sentences
 * (cosine-head.ts) instead.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../named-tensors';
import type { EncoderConfig } from './config';
import { cosineHead, cosineHeadInit, cosineHeadParamSpecs } from './cosine-head';
import { type Batch, dense, drop, encode, type ForwardContext, headInput, pool } from './encoder';
import type { LoraAdapter } from './ops';
import { classifierParamSpecs, createVariables, encoderParamSpecs } from './params';
import { assignVariables, disposeVariables, readVariables } from './weights';

export interface ForwardOptions {
  training: boolean;
  /** Dropout seed for this call; without it the model's own counter is used. */
  seed?: number;
  /** LoRA adapters keyed by the HF name of a linear weight (`…query.weight`). */
  lora?: Map<string, LoraAdapter>;
}

/** Returns a seed sequence starting from `seed` (int32 arithmetic). */
export function seedCounter(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x3c6ef372) | 0;
    return s;
  };
}

export class EncoderClassifier {
  readonly config: EncoderConfig;
  readonly numLabels: number;
  /** HF name → variable; which ones train is the training loop's decision. */
  readonly variables: Map<string, tf.Variable>;
  private readonly dropoutSeeds: () => number;

  /**
   * Random init like HF (normal std 0.02, LayerNorm ones/zeros), from `seed`. A bi-encoder's
   * head starts as the map of cosine 0..1 onto `head.labelRange` (else the cosine itself).
   */
  constructor(
    config: EncoderConfig,
    head: { numLabels: number; labelRange?: readonly [number, number] },
    seed = 0,
  ) {
    if (!Number.isInteger(head.numLabels) || head.numLabels < 1)
      throw new Error(`numLabels must be a positive integer (got ${head.numLabels})`);
    const bi = config.pairEncoding === 'bi';
    if (bi && head.numLabels !== 1)
      throw new Error(
        `pair encoding 'bi' scores a pair by one number (regression); got ${head.numLabels} labels`,
      );
    this.config = config;
    this.numLabels = head.numLabels;
    const specs = [
      ...encoderParamSpecs(config),
      ...(bi ? cosineHeadParamSpecs() : classifierParamSpecs(config, head.numLabels)),
    ];
    this.variables = createVariables(specs, seed);
    if (bi && head.labelRange !== undefined)
      for (const [name, value] of cosineHeadInit(head.labelRange)) {
        const v = this.variables.get(name)!;
        tf.tidy(() => v.assign(tf.fill(v.shape, value)));
      }
    this.dropoutSeeds = seedCounter(seed ^ 0x5bd1e995);
  }

  /**
   * Logits [B, numLabels] (one column = regression output). Call inside tf.tidy. A bi-encoder
   * reads a batch of 2B rows (collateBatch's layout for pairs) and returns [B, 1].
   */
  forward(batch: Batch, opts: ForwardOptions): tf.Tensor2D {
    const ctx: ForwardContext = {
      config: this.config,
      vars: this.variables,
      training: opts.training,
      lora: opts.lora,
      nextSeed: opts.seed === undefined ? this.dropoutSeeds : seedCounter(opts.seed),
    };
    if (this.config.pairEncoding === 'bi') return cosineHead(ctx, encode(ctx, batch), batch);
    const first = headInput(ctx, encode(ctx, batch), batch);
    const p = this.config.hiddenDropout;
    if (this.config.modelType === 'roberta') {
      const x = dense(ctx, 'classifier.dense', drop(ctx, first, p)).tanh() as tf.Tensor2D;
      return dense(ctx, 'classifier.out_proj', drop(ctx, x, p));
    }
    const pooled = pool(ctx, first);
    return dense(ctx, 'classifier', drop(ctx, pooled, p));
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
