// AdamW and global-norm clipping against torch.optim.AdamW + clip_grad_norm_
// (fixture: test/fixtures/train-loop/adamw-reference.py).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { AdamW, decaysWeight } from '../../../src/train/loop/adamw';
import { clipByGlobalNorm } from '../../../src/train/loop/clip';

interface Reference {
  names: string[];
  shapes: number[][];
  maxNorm: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  init: number[][];
  steps: { lr: number; grads: number[][]; norm: number; params: number[][] }[];
}

const ref: Reference = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '..', '..', 'fixtures', 'train-loop', 'adamw-reference.json'),
    'utf8',
  ),
);

before(async () => {
  await initBackend('wasm');
});

function assertClose(actual: ArrayLike<number>, expected: number[], tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    assert.ok(
      err <= tol * (1 + Math.abs(expected[i]!)),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

test('decay applies to weights but not to biases or LayerNorm parameters', () => {
  assert.equal(decaysWeight('bert.encoder.layer.0.attention.self.query.weight'), true);
  assert.equal(decaysWeight('classifier.weight'), true);
  assert.equal(decaysWeight('bert.encoder.layer.0.output.dense.bias'), false);
  assert.equal(decaysWeight('bert.embeddings.LayerNorm.weight'), false);
  assert.equal(decaysWeight('bert.encoder.layer.1.attention.output.LayerNorm.bias'), false);
});

test('clipping + AdamW steps match torch.optim.AdamW on a tiny model', () => {
  const params = new Map(
    ref.names.map((name, i) => [name, tf.variable(tf.tensor(ref.init[i]!, ref.shapes[i]!))]),
  );
  const opt = new AdamW(params, {
    beta1: ref.beta1,
    beta2: ref.beta2,
    epsilon: ref.epsilon,
    weightDecay: ref.weightDecay,
  });
  const before = tf.memory().numTensors;
  for (const [k, s] of ref.steps.entries()) {
    const grads = new Map(
      ref.names.map((name, i) => [name, tf.tensor(s.grads[i]!, ref.shapes[i]!)]),
    );
    const clipped = clipByGlobalNorm(grads, ref.maxNorm);
    assertClose([clipped.norm.dataSync()[0]!], [s.norm], 1e-6, `norm at step ${k + 1}`);
    opt.step(clipped.grads, s.lr);
    tf.dispose([...grads.values(), ...clipped.grads.values(), clipped.norm]);
    ref.names.forEach((name, i) => {
      assertClose(params.get(name)!.dataSync(), s.params[i]!, 2e-6, `${name} after step ${k + 1}`);
    });
  }
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked by step/clip');
  assert.equal(opt.stepCount, ref.steps.length);
  opt.dispose();
  for (const v of params.values()) v.dispose();
});

test('without decay the bias follows plain Adam and with decay the weight shrinks', () => {
  // One step from zero moments: Adam moves every coordinate by lr·g/(|g| + ε') ≈ lr·sign(g).
  const w = tf.variable(tf.tensor1d([1, -2]));
  const b = tf.variable(tf.tensor1d([1, -2]));
  const opt = new AdamW(
    new Map([
      ['x.weight', w],
      ['x.bias', b],
    ]),
    { beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.5 },
  );
  const zero = tf.zeros([2]);
  opt.step(
    new Map([
      ['x.weight', zero],
      ['x.bias', zero],
    ]),
    0.1,
  );
  // Zero gradient: Adam's part is 0; decay multiplies the weight by (1 − 0.1·0.5) only.
  assertClose(w.dataSync(), [0.95, -1.9], 1e-7, 'decayed weight');
  assertClose(b.dataSync(), [1, -2], 0, 'undecayed bias');
  opt.dispose();
  tf.dispose([w, b, zero]);
});

test('getState/setState round-trips the moments and the step count', () => {
  const p = tf.variable(tf.tensor1d([0.5, 0.25]));
  const g = tf.tensor1d([0.3, -0.7]);
  const a = new AdamW(new Map([['p.weight', p]]), {
    beta1: 0.9,
    beta2: 0.98,
    epsilon: 1e-6,
    weightDecay: 0,
  });
  a.step(new Map([['p.weight', g]]), 0.01);
  const state = a.getState();
  const q = tf.variable(p.clone());
  const b = new AdamW(new Map([['p.weight', q]]), {
    beta1: 0.9,
    beta2: 0.98,
    epsilon: 1e-6,
    weightDecay: 0,
  });
  b.setState(state);
  a.step(new Map([['p.weight', g]]), 0.01);
  b.step(new Map([['p.weight', g]]), 0.01);
  assert.deepEqual(Array.from(q.dataSync()), Array.from(p.dataSync()));
  assert.throws(
    () => b.setState({ step: 1, m: new Map(), v: new Map() }),
    /moment m of 'p.weight' is missing/,
  );
  a.dispose();
  b.dispose();
  tf.dispose([p, q, g]);
});
