import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../metrics';

/**
 * The training objective, averaged over the batch: softmax cross-entropy for
 * classification, mean squared error for regression (single output).
 * @param logits - [B, C] (C = 1 for regression)
 * @param labels - (B) class ids or target values
 */
export function batchLoss(
  logits: tf.Tensor2D,
  labels: ArrayLike<number>,
  task: TaskKind,
): tf.Scalar {
  return tf.tidy(() => {
    const n = logits.shape[0];
    if (task === 'regression') {
      const target = tf.tensor1d(Array.from(labels), 'float32');
      return logits.reshape([n]).sub(target).square().mean() as tf.Scalar;
    }
    const oneHot = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), logits.shape[1]);
    return tf.logSoftmax(logits).mul(oneHot).sum(1).mean().neg() as tf.Scalar;
  });
}
