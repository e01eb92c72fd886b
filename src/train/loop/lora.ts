/**
 * LoRA (Hu et al., 2021) on the attention projections: W x becomes
 * W x + (α/r)·B A x with A [r, in] small random, B [out, r] zero, so training starts
 * from the unchanged model. Fusion needs plain weights, so checkpoints store the
 * merged W + (α/r)·B A.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncoderClassifier, LoraAdapter } from '../model';
import type { NamedTensors } from '../named-tensors';

export type LoraTarget = 'query' | 'key' | 'value' | 'output';
export const LORA_TARGETS: readonly LoraTarget[] = ['query', 'key', 'value', 'output'];

export interface LoraOptions {
  rank: number;
  /** Scale numerator; the update is multiplied by alpha/rank. Default: 2·rank. */
  alpha?: number;
  /** Default: query and value (the original paper's choice). */
  targets?: LoraTarget[];
}

const TARGET_SUFFIX: Record<LoraTarget, string> = {
  query: '.attention.self.query.weight',
  key: '.attention.self.key.weight',
  value: '.attention.self.value.weight',
  output: '.attention.output.dense.weight',
};

/** Names of the weights that get an adapter, in the model's order. */
export function loraTargetNames(names: Iterable<string>, targets: readonly LoraTarget[]): string[] {
  const suffixes = targets.map((t) => TARGET_SUFFIX[t]);
  return [...names].filter((n) => suffixes.some((s) => n.endsWith(s)));
}

/**
 * Fresh adapters keyed by the name of the weight they modify. A is uniform in
 * ±1/√in (Kaiming-uniform as in common LoRA code), B is zero.
 */
export function createLoraAdapters(
  model: EncoderClassifier,
  options: LoraOptions,
  seed: number,
): Map<string, LoraAdapter> {
  const { rank } = options;
  if (!Number.isInteger(rank) || rank < 1)
    throw new Error(`lora.rank must be a positive integer, got ${rank}`);
  const targets = options.targets ?? ['query', 'value'];
  for (const t of targets)
    if (!LORA_TARGETS.includes(t))
      throw new Error(`lora.targets: unknown target '${t}' (expected ${LORA_TARGETS.join(', ')})`);
  const scale = (options.alpha ?? 2 * rank) / rank;
  const adapters = new Map<string, LoraAdapter>();
  loraTargetNames(model.variables.keys(), targets).forEach((name, i) => {
    const [out, inDim] = model.variables.get(name)!.shape as [number, number];
    const bound = 1 / Math.sqrt(inDim);
    const init = [
      tf.randomUniform([rank, inDim], -bound, bound, 'float32', seed + i),
      tf.zeros([out, rank]),
    ];
    const a = tf.variable(init[0]!);
    const b = tf.variable(init[1]!);
    tf.dispose(init); // the variables hold their own reference to the data
    adapters.set(name, { a, b, scale });
  });
  if (adapters.size === 0)
    throw new Error(`lora: the model has no weights for targets ${targets.join(', ')}`);
  return adapters;
}

/** The adapters' trainable variables, named `lora.<weight>.a` / `.b`. */
export function loraParameters(
  adapters: ReadonlyMap<string, LoraAdapter>,
): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, ad] of adapters) {
    out.set(`lora.${name}.a`, ad.a);
    out.set(`lora.${name}.b`, ad.b);
  }
  return out;
}

/** W + scale·B A for one adapter; [out, in]. */
function mergedTensor(weight: tf.Tensor, ad: LoraAdapter): tf.Tensor {
  return tf.tidy(() => weight.add(tf.matMul(ad.b, ad.a).mul(ad.scale)));
}

/** The model's weights with every adapter folded in (the model is not modified). */
export function mergedWeights(
  model: EncoderClassifier,
  adapters: ReadonlyMap<string, LoraAdapter>,
): NamedTensors {
  const weights = model.getWeights();
  for (const [name, ad] of adapters) {
    const merged = mergedTensor(model.variables.get(name)!, ad);
    weights.set(name, { shape: merged.shape.slice(), data: merged.dataSync() as Float32Array });
    merged.dispose();
  }
  return weights;
}

/** Folds the adapters into the model's weights in place, so it runs without them. */
export function mergeLoraIntoModel(
  model: EncoderClassifier,
  adapters: ReadonlyMap<string, LoraAdapter>,
): void {
  for (const [name, ad] of adapters) {
    const weight = model.variables.get(name)!;
    const merged = mergedTensor(weight, ad);
    weight.assign(merged);
    merged.dispose();
  }
}

export function disposeLoraAdapters(adapters: ReadonlyMap<string, LoraAdapter>): void {
  for (const ad of adapters.values()) tf.dispose([ad.a, ad.b]);
}
