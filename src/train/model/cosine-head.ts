/**
 * The bi-encoder head for sentence-pair regression (`pair_encoding: bi`): each sentence of a
 * pair is encoded alone, mean-pooled to u and v, and the pair scored by
 * `cosine_regressor(cos(u, v))`, a 1 → 1 linear layer (a learned scale and offset) so that the
 * output, the loss and the metrics stay a regression's on the label scale. With the scale set to
 * the label range it is sentence-transformers' CosineSimilarityLoss (cosine trained towards
 * score / 5 on STS-B) up to a constant factor of the loss. docs/model-card.md, round 5, measured
 * it against the cross-encoder.
 */
import type * as tf from '@tensorflow/tfjs';
import { type Batch, dense, type ForwardContext, meanTokens } from './encoder';
import type { ParamSpec } from './params';

/** HF-style name of the scale (`.weight`, [1, 1]) and offset (`.bias`, [1]) of the cosine. */
export const COSINE_REGRESSOR = 'cosine_regressor';

/** |u|·|v| is clamped to at least this, so a zero vector gives a cosine of 0 (PyTorch's `cosine_similarity` eps). */
const COSINE_EPS = 1e-8;

/** The head's parameters, initialised to the identity (output = cosine) until `cosineHeadInit`. */
export function cosineHeadParamSpecs(): ParamSpec[] {
  return [
    { name: `${COSINE_REGRESSOR}.weight`, shape: [1, 1], init: 'ones' },
    { name: `${COSINE_REGRESSOR}.bias`, shape: [1], init: 'zeros' },
  ];
}

/**
 * Scale and offset mapping a cosine of 0 to the lowest label and 1 to the highest: on STS-B
 * (labels 0–5) the output starts as 5·cos, the replay's mapping.
 */
export function cosineHeadInit(labelRange: readonly [number, number]): Map<string, number> {
  const [low, high] = labelRange;
  if (!(Number.isFinite(low) && Number.isFinite(high) && high > low))
    throw new Error(`the label range must be two finite numbers, low < high (got ${low}, ${high})`);
  return new Map([
    [`${COSINE_REGRESSOR}.weight`, high - low],
    [`${COSINE_REGRESSOR}.bias`, low],
  ]);
}

/** The training labels' lowest and highest value (a constant label gets a range of 1 above it). */
export function labelRangeOf(labels: readonly number[]): [number, number] {
  if (labels.length === 0) throw new Error('labelRangeOf: no labels');
  // A loop, not Math.min(...labels): spreading a large training set overflows the call stack.
  let low = Infinity;
  let high = -Infinity;
  for (const y of labels) {
    low = Math.min(low, y);
    high = Math.max(high, y);
  }
  return [low, high > low ? high : low + 1];
}

/**
 * Scores a bi-encoder batch: rows 0..B−1 hold the pairs' first sentences and rows B..2B−1
 * their second ones (collateBatch's layout), `hidden` is the encoder's [2B·T, H] output.
 * @returns [B, 1]
 */
export function cosineHead(ctx: ForwardContext, hidden: tf.Tensor2D, batch: Batch): tf.Tensor2D {
  const rows = batch.inputIds.shape[0];
  if (rows % 2 !== 0)
    throw new Error(`a bi-encoder batch holds two rows per pair; got an odd ${rows} rows`);
  const b = rows / 2;
  const pooled = meanTokens(hidden, batch.attentionMask);
  const h = pooled.shape[1];
  const u = pooled.slice([0, 0], [b, h]);
  const v = pooled.slice([b, 0], [b, h]);
  const norms = u
    .square()
    .sum(1)
    .mul(v.square().sum(1))
    .maximum(COSINE_EPS ** 2)
    .sqrt();
  const cosine = u.mul(v).sum(1).div(norms).reshape([b, 1]) as tf.Tensor2D;
  return dense(ctx, COSINE_REGRESSOR, cosine);
}
