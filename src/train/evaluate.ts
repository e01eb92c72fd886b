/**
 * Evaluation of a model on a list of examples: length-sorted batches padded to
 * their own maximum, inference mode (no dropout, no gradient), dataset-level loss
 * and metrics. Used during training and by the fusion stage after it sets a fused
 * model's weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Example } from './data';
import { collateBatch, disposeBatch, planEvalBatches } from './loop/batching';
import { encodeExamples, lengthsOf } from './loop/encoding';
import { computeMetrics, type MetricName, type TaskKind, taskLoss } from './metrics';
import type { EncoderClassifier, LoraAdapter } from './model';
import type { Tokenizer } from './tokenizer';

export interface EvaluateOptions {
  /** Examples per forward pass (memory, not results, depends on it). */
  batchSize: number;
  /** Truncation length in tokens; use the training run's value. */
  maxLength: number;
  metrics: MetricName[];
  task: TaskKind;
  /** Unmerged LoRA adapters to apply (stage-1 proxies evaluate mid-training). */
  lora?: Map<string, LoraAdapter>;
}

export interface EvaluateResult {
  /** Mean cross-entropy (classification) or squared error (regression) over all examples. */
  loss: number;
  /** Dataset-level metrics by name. */
  metrics: Record<string, number>;
  /** Model outputs in the examples' order: logits [N][numLabels] (regression: [N][1]). */
  outputs: number[][];
}

/**
 * Runs the model over `examples` and scores it against their labels.
 * Creates no lasting tensors (every batch is disposed).
 */
export async function evaluate(
  model: EncoderClassifier,
  tokenizer: Tokenizer,
  examples: readonly Example[],
  opts: EvaluateOptions,
): Promise<EvaluateResult> {
  if (examples.length === 0) throw new Error('evaluate: no examples');
  const encoded = encodeExamples(tokenizer, examples, opts.maxLength, model.config.pairEncoding);
  const labels = examples.map((ex) => ex.label);
  const outputs: number[][] = new Array(examples.length);
  for (const indices of planEvalBatches(lengthsOf(encoded), opts.batchSize)) {
    const batch = collateBatch(encoded, indices, tokenizer.padId);
    const logits = tf.tidy(() => model.forward(batch, { training: false, lora: opts.lora }));
    disposeBatch(batch);
    const rows = (await logits.array()) as number[][];
    logits.dispose();
    indices.forEach((exampleIndex, row) => {
      outputs[exampleIndex] = rows[row]!;
    });
  }
  return {
    loss: taskLoss(opts.task, outputs, labels),
    metrics: computeMetrics(opts.metrics, opts.task, outputs, labels),
    outputs,
  };
}
