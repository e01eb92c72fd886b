/**
 * Which parameters a run trains. Stage 1 of BOMF searches hyperparameters on a cheap
 * proxy of the model: the bottom layers frozen (BOMF's code freezes 6 of 12) or LoRA
 * adapters. Frozen parameters are simply left out of the gradient, so they stay
 * bit-identical.
 */
import type * as tf from '@tensorflow/tfjs';
import { COSINE_REGRESSOR } from '../model/cosine-head';
import type { LoraOptions } from './lora';

export interface ProxyOptions {
  /** Freeze the embeddings and the bottom `freeze` encoder layers. */
  freeze?: number;
  /** Train LoRA adapters on the attention projections (plus the head) instead of the weights. */
  lora?: LoraOptions;
}

const LAYER_INDEX = /\.encoder\.layer\.(\d+)\./;
const EMBEDDINGS = /(^|\.)embeddings\./;
/** The task head (BERT `classifier.*`; RoBERTa `classifier.dense/out_proj.*`; the bi-encoder's cosine head). */
const HEAD = new RegExp(`^(classifier|${COSINE_REGRESSOR})\\.`);

/** Whether a parameter is frozen when the bottom `freeze` layers and the embeddings are. */
export function isFrozenByLayer(name: string, freeze: number): boolean {
  if (freeze <= 0) return false;
  if (EMBEDDINGS.test(name)) return true;
  const layer = LAYER_INDEX.exec(name);
  return layer !== null && Number(layer[1]) < freeze;
}

/**
 * The model variables that receive gradients under a proxy setting.
 * - none: all of them;
 * - freeze n: all but the embeddings and layers 0..n−1;
 * - LoRA: only the task head (the adapters are added by the caller).
 */
export function trainableModelVariables(
  variables: ReadonlyMap<string, tf.Variable>,
  proxy: ProxyOptions | undefined,
  numLayers: number,
): Map<string, tf.Variable> {
  const freeze = proxy?.freeze ?? 0;
  if (proxy?.lora !== undefined && freeze > 0)
    throw new Error('proxy: choose either freeze or lora, not both');
  if (!Number.isInteger(freeze) || freeze < 0 || freeze > numLayers)
    throw new Error(`proxy.freeze must be an integer in [0, ${numLayers}], got ${freeze}`);
  const out = new Map<string, tf.Variable>();
  for (const [name, v] of variables) {
    const trainable = proxy?.lora !== undefined ? HEAD.test(name) : !isFrozenByLayer(name, freeze);
    if (trainable) out.set(name, v);
  }
  return out;
}
