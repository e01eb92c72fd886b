/**
 * A sentence-level objective that trains [CLS] and the pooler, which masked-LM never
 * reaches: unsupervised contrastive learning in the style of SimCSE (Gao, Yao & Chen
 * 2021). A batch of single corpus lines is encoded twice; the two dropout masks are the
 * only augmentation, so line i's two pooled vectors form the positive pair and the
 * other lines of the batch are the negatives (InfoNCE over cosine similarities / τ).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Mean cross-entropy of picking row i of `b` for row i of `a` among all rows of `b`,
 * with logits cos(aᵢ, bⱼ) / temperature. Call inside tf.tidy.
 */
export function contrastiveLoss(a: tf.Tensor2D, b: tf.Tensor2D, temperature: number): tf.Scalar {
  const unit = (x: tf.Tensor2D) => x.div(x.square().sum(1, true).add(1e-12).sqrt()) as tf.Tensor2D;
  const logits = tf.matMul(unit(a), unit(b), false, true).div(temperature) as tf.Tensor2D;
  const diagonal = tf.oneHot(tf.range(0, a.shape[0], 1, 'int32'), a.shape[0]);
  return tf.logSoftmax(logits).mul(diagonal).sum(1).mean().neg() as tf.Scalar;
}

/** Token ids of the corpus lines usable as contrastive examples: `[CLS] line [SEP]`. */
export interface SentencePool {
  /** Every kept line's ids, [CLS] and [SEP] included. */
  lines: Int32Array[];
}

/** A line needs two word pieces besides [CLS] and [SEP] to say something. */
const MIN_TOKENS = 4;

export function sentencePool(encoded: readonly number[][]): SentencePool {
  const lines = encoded
    .filter((ids) => ids.length >= MIN_TOKENS)
    .map((ids) => Int32Array.from(ids));
  if (lines.length < 2)
    throw new Error('the corpus has fewer than 2 lines of 2+ tokens for the contrastive objective');
  return { lines };
}

export interface SentenceBatch {
  /** int32 [size·T] row-major, padded with `padId` to the longest drawn line. */
  inputIds: Int32Array;
  attentionMask: Int32Array;
  size: number;
  length: number;
}

/** `size` lines drawn uniformly with replacement (a duplicate is just a harder negative). */
export function drawSentences(
  pool: SentencePool,
  size: number,
  padId: number,
  random: () => number,
): SentenceBatch {
  const picks = Array.from(
    { length: size },
    () => pool.lines[Math.floor(random() * pool.lines.length)] as Int32Array,
  );
  const length = Math.max(...picks.map((l) => l.length));
  const inputIds = new Int32Array(size * length).fill(padId);
  const attentionMask = new Int32Array(size * length);
  picks.forEach((line, i) => {
    inputIds.set(line, i * length);
    attentionMask.fill(1, i * length, i * length + line.length);
  });
  return { inputIds, attentionMask, size, length };
}
