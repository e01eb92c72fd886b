// Affine combinations of checkpoints (weights summing to 1, possibly negative):
// the plane through three checkpoints used by the loss-landscape study.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { CheckpointSet, StackedCheckpoints } from '../../../src/fusion';
import { initBackend } from '../../../src/train/backend';
import type { NamedTensors } from '../../../src/train/named-tensors';
import { writeSafetensors } from '../../../src/train/safetensors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-affine-'));

function member(k: number): NamedTensors {
  return new Map([
    ['w', { shape: [4], data: Float32Array.from({ length: 4 }, (_, i) => Math.cos(k * 3 + i)) }],
    ['b', { shape: [2], data: Float32Array.from({ length: 2 }, (_, i) => k * k - i) }],
  ]);
}

const files = [0, 1, 2].map((k) => {
  const f = path.join(dir, `ckpt-${k}.safetensors`);
  writeSafetensors(f, member(k));
  return f;
});

before(async () => {
  await initBackend('wasm');
});

/** θ0 + a(θ1 − θ0) + b(θ2 − θ0), element by element, from the members themselves. */
function planePoint(name: string, a: number, b: number): number[] {
  const [t0, t1, t2] = [0, 1, 2].map((k) => member(k).get(name)!.data);
  return Array.from(t0!, (x, i) => x + a * (t1![i]! - x) + b * (t2![i]! - x));
}

test('affineMix gives the point θ0 + a(θ1−θ0) + b(θ2−θ0), also outside the hull', () => {
  const set = new CheckpointSet(files, 1e9);
  for (const [a, b] of [
    [1.5, -0.7],
    [-0.5, -0.5],
    [0.25, 0.5],
  ] as const) {
    const fused = set.affineMix([1 - a - b, a, b]);
    for (const name of ['w', 'b']) {
      const expected = planePoint(name, a, b);
      fused.get(name)!.data.forEach((v, i) => {
        assert.ok(Math.abs(v - expected[i]!) < 1e-5, `${name}[${i}] at (${a}, ${b})`);
      });
    }
  }
});

test('affine weights must sum to 1 and be finite; the simplex mix still refuses negatives', () => {
  const set = new CheckpointSet(files, 1e9);
  assert.throws(() => set.affineMix([0.5, 0.6, 0.1]), /affine weights must be finite and sum to 1/);
  assert.throws(() => set.affineMix([Number.NaN, 0.5, 0.5]), /finite and sum to 1/);
  assert.throws(() => set.affineMix([1, 0]), /got 2 weights for 3 checkpoints/);
  assert.throws(() => set.mix([1.5, -0.7, 0.2]), /non-negative and sum to 1/);
});

test('the backend affine mix equals the host one and leaks no tensors', () => {
  const set = new CheckpointSet(files, 1e9);
  const stacked = new StackedCheckpoints(files.map((_, k) => set.member(k)));
  const vars = new Map([
    ['w', tf.variable(tf.zeros([4]))],
    ['b', tf.variable(tf.zeros([2]))],
  ]);
  const weights = [1 - 1.25 + 0.5, 1.25, -0.5];
  const before = tf.memory().numTensors;
  stacked.affineMixInto(vars, weights);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => stacked.mixInto(vars, weights), /non-negative and sum to 1/);
  const host = set.affineMix(weights);
  for (const [name, v] of vars) {
    const got = v.dataSync();
    host.get(name)!.data.forEach((x, i) => {
      assert.ok(Math.abs(got[i]! - x) < 1e-6, name);
    });
  }
  stacked.dispose();
  for (const v of vars.values()) v.dispose();
});

test('after a backend mix, bias variables work as a fused matMul bias (wasm storage shape)', () => {
  const set = new CheckpointSet(files, 1e9);
  const stacked = new StackedCheckpoints(files.map((_, k) => set.member(k)));
  const vars = new Map([
    ['w', tf.variable(tf.zeros([4]))],
    ['b', tf.variable(tf.zeros([2]))],
  ]);
  const x = tf.ones([3, 2]) as tf.Tensor2D;
  const kernel = tf.ones([2, 2]) as tf.Tensor2D;
  for (const mix of [
    () => stacked.mixInto(vars, [0.2, 0.3, 0.5]),
    () => stacked.affineMixInto(vars, [1.5, -1, 0.5]),
  ]) {
    mix();
    const y = tf.fused.matMul({ a: x, b: kernel, bias: vars.get('b')! as tf.Tensor1D });
    const bias = vars.get('b')!.dataSync();
    const got = y.dataSync();
    got.forEach((v, i) => {
      assert.ok(Math.abs(v - (2 + bias[i % 2]!)) < 1e-5);
    });
    y.dispose();
  }
  tf.dispose([x, kernel]);
  stacked.dispose();
  for (const v of vars.values()) v.dispose();
});
