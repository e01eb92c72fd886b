import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import {
  collateBatch,
  disposeBatch,
  type EncodedExample,
  planEpochBatches,
  planEvalBatches,
} from '../../../src/train/loop/batching';
import { mixSeed, seededRandom } from '../../../src/train/loop/random';

before(async () => {
  await initBackend('wasm');
});

/** Lengths skewed like real sentences: mostly short, a few long. */
function skewedLengths(n: number): number[] {
  const random = seededRandom(mixSeed(42));
  return Array.from({ length: n }, () => 3 + Math.floor(random() ** 3 * 120));
}

function sortedCopy(xs: number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

test('every example appears exactly once per epoch, with or without bucketing', () => {
  const lengths = skewedLengths(1003);
  for (const bucket of [true, false]) {
    for (const epoch of [0, 1, 2]) {
      const plan = planEpochBatches(lengths, {
        batchSize: 16,
        seed: 5,
        epoch,
        bucket,
        bucketChunkBatches: 8,
      });
      const all = plan.flat();
      assert.deepEqual(
        sortedCopy(all),
        lengths.map((_, i) => i),
      );
      assert.ok(plan.every((b) => b.length >= 1 && b.length <= 16));
      // Chunks are whole multiples of the batch size: only the last batch is short.
      assert.equal(plan.length, Math.ceil(1003 / 16));
    }
  }
});

test('the plan is a function of (seed, epoch): same inputs same batches, new epoch new order', () => {
  const lengths = skewedLengths(300);
  const o = { batchSize: 8, seed: 9, epoch: 1 };
  assert.deepEqual(planEpochBatches(lengths, o), planEpochBatches(lengths, o));
  assert.notDeepEqual(planEpochBatches(lengths, o), planEpochBatches(lengths, { ...o, epoch: 2 }));
  assert.notDeepEqual(planEpochBatches(lengths, o), planEpochBatches(lengths, { ...o, seed: 10 }));
});

test('bucketing pads far less than random batches', () => {
  const lengths = skewedLengths(2000);
  const padded = (plan: number[][]) =>
    plan.reduce((sum, b) => sum + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
  const o = { batchSize: 32, seed: 1, epoch: 0 };
  const bucketed = padded(planEpochBatches(lengths, o));
  const plain = padded(planEpochBatches(lengths, { ...o, bucket: false }));
  const real = lengths.reduce((a, b) => a + b, 0);
  assert.ok(bucketed < 0.6 * plain, `bucketed ${bucketed} vs plain ${plain} tokens`);
  assert.ok(bucketed < 1.2 * real, `bucketed ${bucketed} vs ${real} real tokens`);
});

test('evaluation batches are sorted by length and cover every example once', () => {
  const lengths = skewedLengths(101);
  const plan = planEvalBatches(lengths, 10);
  const flat = plan.flat();
  assert.deepEqual(
    sortedCopy(flat),
    lengths.map((_, i) => i),
  );
  for (let i = 1; i < flat.length; i++) assert.ok(lengths[flat[i - 1]!]! <= lengths[flat[i]!]!);
});

test('collate pads only to the longest example of the batch, with a mask', () => {
  const ex = (ids: number[], types?: number[]): EncodedExample => ({
    inputIds: Int32Array.from(ids),
    tokenTypeIds: Int32Array.from(types ?? ids.map(() => 0)),
  });
  const examples = [
    ex([101, 7, 102]),
    ex([101, 8, 9, 102, 10, 102], [0, 0, 0, 0, 1, 1]),
    ex([101, 102]),
  ];
  const before = tf.memory().numTensors;
  const batch = collateBatch(examples, [0, 2], 0);
  assert.deepEqual(batch.inputIds.shape, [2, 3]);
  assert.deepEqual(batch.inputIds.arraySync(), [
    [101, 7, 102],
    [101, 102, 0],
  ]);
  assert.deepEqual(batch.attentionMask.arraySync(), [
    [1, 1, 1],
    [1, 1, 0],
  ]);
  disposeBatch(batch);
  const wide = collateBatch(examples, [1, 0], 5);
  assert.deepEqual(wide.inputIds.shape, [2, 6]);
  assert.deepEqual(wide.tokenTypeIds.arraySync(), [
    [0, 0, 0, 0, 1, 1],
    [0, 0, 0, 0, 0, 0],
  ]);
  assert.deepEqual(wide.inputIds.arraySync()[1], [101, 7, 102, 5, 5, 5]);
  assert.equal(wide.inputIds.dtype, 'int32');
  disposeBatch(wide);
  assert.equal(tf.memory().numTensors, before);
});
