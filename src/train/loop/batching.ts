/**
 * Length-bucketed batches with dynamic padding.
 *
 * Most sentences are far shorter than `maxLength`, and attention costs grow with the
 * padded length, so a batch is padded only to its own longest example, and examples
 * of similar length are grouped: the epoch's order is shuffled, cut into chunks of
 * `bucketChunkBatches` batches, each chunk sorted by length and cut into batches, and
 * the batches shuffled again (so length does not drift over the epoch). The plan is a
 * pure function of (seed, epoch), which resume relies on.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../model';
import { mixSeed, seededRandom, shuffleInPlace } from './random';

/** One tokenized sequence, unpadded. */
export interface EncodedSequence {
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
}

/** One tokenized example; a bi-encoder's pair carries its second sentence apart. */
export interface EncodedExample extends EncodedSequence {
  second?: EncodedSequence;
}

export interface BatchPlanOptions {
  batchSize: number;
  seed: number;
  epoch: number;
  /** False: plain shuffled batches (the baseline of the bucketing bench). */
  bucket?: boolean;
  /** Batches per sorted chunk; larger = tighter padding, less randomness. */
  bucketChunkBatches?: number;
}

/** Purpose tag mixed into the seed so data order and other streams never coincide. */
const DATA_ORDER_STREAM = 0x0da7a;

/**
 * The training batches of one epoch, as lists of example indices. Every index in
 * [0, lengths.length) appears exactly once; the last batch of a chunk may be short.
 * @param lengths - (N) token count of each example.
 */
export function planEpochBatches(lengths: ArrayLike<number>, o: BatchPlanOptions): number[][] {
  if (!(o.batchSize >= 1)) throw new Error(`batchSize must be ≥ 1, got ${o.batchSize}`);
  const random = seededRandom(mixSeed(o.seed, DATA_ORDER_STREAM, o.epoch));
  const order = shuffleInPlace(
    Array.from({ length: lengths.length }, (_, i) => i),
    random,
  );
  const batchSize = Math.floor(o.batchSize);
  if (o.bucket === false) return cut(order, batchSize);
  const chunkSize = batchSize * (o.bucketChunkBatches ?? 50);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += chunkSize) {
    const chunk = order.slice(start, start + chunkSize);
    // Stable sort: ties keep their shuffled order.
    chunk.sort((a, b) => lengths[a]! - lengths[b]!);
    batches.push(...cut(chunk, batchSize));
  }
  return shuffleInPlace(batches, random);
}

/**
 * Evaluation batches: all examples sorted by length (tightest padding), no shuffle.
 * Outputs must be scattered back to the original indices.
 */
export function planEvalBatches(lengths: ArrayLike<number>, batchSize: number): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i);
  order.sort((a, b) => lengths[a]! - lengths[b]!);
  return cut(order, Math.max(1, Math.floor(batchSize)));
}

function cut(indices: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += size) out.push(indices.slice(i, i + size));
  return out;
}

/**
 * Pads the chosen examples to the longest of them: ids with `padId`, token types
 * with 0, attention mask 1 on tokens and 0 on padding. Examples with a `second`
 * sentence (bi-encoder pairs) give 2B rows: the B first sentences, then the B second
 * ones in the same order (the layout cosine-head.ts reads).
 * @returns int32 tensors [B, T] (bi: [2B, T]) with T = max length in the batch.
 */
export function collateBatch(
  examples: readonly EncodedExample[],
  indices: readonly number[],
  padId: number,
): Batch {
  const chosen = indices.map((i) => examples[i]!);
  const apart = chosen.length > 0 && chosen.every((ex) => ex.second !== undefined);
  if (!apart && chosen.some((ex) => ex.second !== undefined))
    throw new Error('collateBatch: a batch mixes sentence pairs encoded apart with single rows');
  const sequences: EncodedSequence[] = apart
    ? [...chosen, ...chosen.map((ex) => ex.second!)]
    : chosen;
  let width = 1;
  for (const s of sequences) width = Math.max(width, s.inputIds.length);
  const size = sequences.length * width;
  const ids = new Int32Array(size).fill(padId);
  const types = new Int32Array(size);
  const mask = new Int32Array(size);
  sequences.forEach((ex, row) => {
    ids.set(ex.inputIds, row * width);
    types.set(ex.tokenTypeIds, row * width);
    mask.fill(1, row * width, row * width + ex.inputIds.length);
  });
  const shape: [number, number] = [sequences.length, width];
  return {
    inputIds: tf.tensor2d(ids, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(types, shape, 'int32'),
    attentionMask: tf.tensor2d(mask, shape, 'int32'),
  };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask]);
}
