import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { seededRandom } from '../../../src/train/loop/random';
import { contrastiveLoss, drawSentences, sentencePool } from '../../../src/train/pretrain';

before(async () => {
  await initBackend('wasm');
});

test('contrastive loss: cross-entropy of the matching row over cosine / τ, mean over rows', () => {
  const a = tf.tensor2d([
    [1, 2, 0],
    [0, 1, -1],
    [3, -1, 1],
  ]);
  const b = tf.tensor2d([
    [1, 1, 0],
    [0.5, 1, -2],
    [2, 0, 1],
  ]);
  // NumPy (and torch F.cross_entropy on F.normalize(a) @ F.normalize(b).T / 0.5) give 0.4459478.
  const loss = tf.tidy(() => contrastiveLoss(a, b, 0.5).dataSync()[0] as number);
  assert.ok(Math.abs(loss - 0.4459478) < 1e-5, `loss ${loss}`);
  // Scale-free (cosine), and when every row looks alike the matching one is a 1-in-B guess.
  const scaled = tf.tidy(() => contrastiveLoss(a.mul(7), b, 0.5).dataSync()[0] as number);
  assert.ok(Math.abs(scaled - loss) < 1e-5);
  const same = tf.tidy(() => contrastiveLoss(tf.ones([4, 3]), tf.ones([4, 3]), 0.05).dataSync()[0]);
  assert.ok(Math.abs((same as number) - Math.log(4)) < 1e-5, `uniform ${same}`);
  tf.dispose([a, b]);
});

test('sentence batches: whole lines of 2+ word pieces, padded to the longest, with their mask', () => {
  const pool = sentencePool([
    [2, 7, 3],
    [2, 7, 8, 3],
    [2, 9, 10, 11, 12, 3],
  ]);
  assert.equal(pool.lines.length, 2, 'the one-word-piece line is dropped');
  const batch = drawSentences(pool, 64, 0, seededRandom(4));
  assert.equal(batch.length, 6);
  const seen = new Set<string>();
  for (let i = 0; i < batch.size; i++) {
    const ids = Array.from(batch.inputIds.subarray(i * 6, i * 6 + 6));
    const mask = Array.from(batch.attentionMask.subarray(i * 6, i * 6 + 6));
    const n = mask.filter((m) => m === 1).length;
    assert.deepEqual(mask, [...Array(n).fill(1), ...Array(6 - n).fill(0)]);
    assert.ok(
      ids.slice(n).every((x) => x === 0),
      'padding',
    );
    seen.add(ids.slice(0, n).join(','));
  }
  assert.deepEqual([...seen].sort(), ['2,7,8,3', '2,9,10,11,12,3'], 'both lines are drawn');
});
