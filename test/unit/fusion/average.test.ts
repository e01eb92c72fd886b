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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-fusion-'));

function member(k: number): NamedTensors {
  return new Map([
    [
      'a.weight',
      { shape: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => Math.sin(k * 7 + i)) },
    ],
    ['a.bias', { shape: [3], data: Float32Array.from({ length: 3 }, (_, i) => k - i) }],
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

test('mix is the weighted sum of the members, element by element', () => {
  const w = [0.2, 0.5, 0.3];
  for (const budget of [Number.POSITIVE_INFINITY, 0]) {
    const fused = new CheckpointSet(files, budget).mix(w);
    for (const [name, t] of fused) {
      t.data.forEach((v, i) => {
        const expected = w.reduce((s, wk, k) => s + wk * member(k).get(name)!.data[i]!, 0);
        assert.ok(Math.abs(v - expected) < 1e-6, `${name}[${i}] = ${v}, expected ${expected}`);
      });
    }
  }
});

test('the memory budget decides between caching and streaming', () => {
  assert.equal(new CheckpointSet(files, 1e9).cached, true);
  assert.equal(new CheckpointSet(files, 10).cached, false);
});

test('one-hot weights give the member back exactly', () => {
  const fused = new CheckpointSet(files, 1e9).mix([0, 1, 0]);
  assert.deepEqual(fused.get('a.bias')!.data, member(1).get('a.bias')!.data);
});

test('invalid weights are refused with the reason', () => {
  const set = new CheckpointSet(files, 1e9);
  assert.throws(() => set.mix([0.5, 0.5]), /got 2 weights for 3 checkpoints/);
  assert.throws(() => set.mix([0.5, 0.6, -0.1]), /non-negative and sum to 1/);
  assert.throws(() => set.mix([0.5, 0.6, 0.1]), /non-negative and sum to 1/);
});

test('a missing or mismatched checkpoint is reported by file', () => {
  assert.throws(
    () => new CheckpointSet([...files, path.join(dir, 'nope.safetensors')], 1e9),
    /checkpoint not found or unreadable: .*nope\.safetensors/,
  );
  const odd = path.join(dir, 'odd.safetensors');
  writeSafetensors(
    odd,
    new Map([
      ['a.weight', { shape: [5], data: new Float32Array(5) }],
      ['a.bias', { shape: [3], data: new Float32Array(3) }],
    ]),
  );
  assert.throws(
    () => new CheckpointSet([files[0]!, odd], 1e9).mix([0.5, 0.5]),
    /odd\.safetensors: tensor 'a\.weight' is missing or has another shape/,
  );
});

test('the backend (stacked) mix equals the host mix and leaks no tensors', () => {
  const set = new CheckpointSet(files, 1e9);
  const stacked = new StackedCheckpoints(files.map((_, k) => set.member(k)));
  const vars = new Map([
    ['a.weight', tf.variable(tf.zeros([2, 3]))],
    ['a.bias', tf.variable(tf.zeros([3]))],
  ]);
  const w = [0.1, 0.6, 0.3];
  const before = tf.memory().numTensors;
  stacked.mixInto(vars, w);
  assert.equal(tf.memory().numTensors, before);
  const host = set.mix(w);
  for (const [name, v] of vars) {
    const got = v.dataSync();
    host.get(name)!.data.forEach((x, i) => {
      assert.ok(Math.abs(got[i]! - x) < 1e-6, `${name}[${i}]`);
    });
  }
  stacked.dispose();
  for (const v of vars.values()) v.dispose();
});
