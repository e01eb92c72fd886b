/**
 * The WebAssembly SIMD kernels (src/train/kernels/simd/): the committed module is what its
 * C sources compile to, the fused attention equals the composed TF.js ops it replaces
 * (values, gradients, dropout mask, padding), and the zero-copy Identity shares data safely.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { ATTENTION, ATTENTION_GRAD } from '../../../src/train/kernels';
import { attention, dropout } from '../../../src/train/model/ops';

const root = path.join(__dirname, '..', '..', '..');
const hasClang = ['clang', 'clang-14'].some(
  (c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0,
);

before(async () => {
  await initBackend('wasm');
});

test('the committed simd-wasm.ts is byte for byte what scripts/build-simd-wasm.mjs builds from the C sources', {
  skip: hasClang ? false : 'clang is not installed (apt-get install -y clang lld)',
}, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'simd-wasm-test-')), 'simd-wasm.ts');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'build-simd-wasm.mjs'), '--module', 'train', '--out', out],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const committed = fs.readFileSync(
    path.join(root, 'src', 'train', 'kernels', 'simd', 'simd-wasm.ts'),
    'utf8',
  );
  assert.equal(fs.readFileSync(out, 'utf8'), committed, 'rebuild the module: npm run build:wasm');
  fs.rmSync(path.dirname(out), { recursive: true });
});

/** Context and the gradients of Σ context·proj for q, k, v, by the current kernels. */
function attentionAndGrads(
  inputs: tf.Tensor2D[],
  bias: tf.Tensor2D,
  heads: number,
  rate: number,
): Float32Array[] {
  const proj = tf.randomNormal(inputs[0]!.shape, 0, 1, 'float32', 5);
  const f = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
    attention(q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, bias, heads, rate, 77);
  const context = tf.tidy(() => f(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor])));
  const grads = tf.grads((q, k, v) => f(q!, k!, v!).mul(proj).sum())(inputs);
  const out = [context, ...grads].map((t) => t.dataSync() as Float32Array);
  tf.dispose([proj, context, ...grads]);
  return out;
}

/** Runs `fn` with the fused attention kernels unregistered (the composed ops run instead). */
function composed<R>(fn: () => R): R {
  const saved = [ATTENTION, ATTENTION_GRAD].map((name) => tf.getKernel(name, 'wasm')!);
  for (const k of saved) tf.unregisterKernel(k.kernelName, 'wasm');
  try {
    return fn();
  } finally {
    for (const k of saved) tf.registerKernel(k);
  }
}

for (const rate of [0, 0.2]) {
  test(`fused attention equals the composed ops, forward and gradients, dropout ${rate}`, () => {
    // Odd sizes (13 tokens, head size 6) exercise the SIMD kernels' ragged edges; the
    // padded tail of sequences 0 and 2 checks that the mask reaches every head.
    const [b, t, heads, d] = [3, 13, 3, 6];
    const inputs = [1, 2, 3].map(
      (s) => tf.randomNormal([b * t, heads * d], 0, 1, 'float32', s) as tf.Tensor2D,
    );
    const lengths = [9, 13, 4];
    const mask = tf.tensor2d(
      lengths.flatMap((n) => Array.from({ length: t }, (_, j) => (j < n ? 0 : -1e9))),
      [b, t],
    );
    const fused = attentionAndGrads(inputs, mask, heads, rate);
    const reference = composed(() => attentionAndGrads(inputs, mask, heads, rate));
    ['context', 'dq', 'dk', 'dv'].forEach((what, i) => {
      const x = fused[i]!;
      const y = reference[i]!;
      assert.equal(x.length, y.length);
      for (let j = 0; j < x.length; j++)
        assert.ok(
          Math.abs(x[j]! - y[j]!) <= 1e-5 * Math.max(1, Math.abs(y[j]!)),
          `${what}[${j}]: ${x[j]} vs ${y[j]}`,
        );
    });
    tf.dispose([...inputs, mask]);
  });
}

/** The documented mask: keep element i iff lowbias32(seed ^ i·0x9e3779b1) / 2^32 ≥ rate. */
function kept(seed: number, i: number, rate: number): boolean {
  let h = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 >= rate;
}

test('SIMD dropout keeps exactly the elements of the documented hash, scaled by 1/(1 − rate)', () => {
  // 1003 elements: the last three go through the ragged tail.
  const x = tf.randomNormal([1003], 0, 1, 'float32', 4);
  for (const [seed, rate] of [
    [-5, 0.1],
    [123456, 0.5],
  ] as const) {
    const y = tf.tidy(() => dropout(x, rate, seed).dataSync());
    const xs = x.dataSync();
    for (let i = 0; i < xs.length; i++) {
      const expected = kept(seed, i, rate) ? Math.fround(xs[i]! * Math.fround(1 / (1 - rate))) : 0;
      assert.ok(Math.abs(y[i]! - expected) <= 1e-6 * Math.abs(expected), `element ${i}`);
    }
  }
  x.dispose();
});

test('Identity on wasm shares data by reference: a clone outlives its source and assign leaves it alone', () => {
  const v = tf.variable(tf.tensor1d([1, 2, 3]));
  const x = tf.tensor1d([4, 5, 6]);
  const cx = x.clone();
  const cv = v.clone();
  x.dispose();
  v.assign(tf.tensor1d([7, 8, 9]));
  // Allocate and fill fresh tensors: freed memory would be reused by them.
  const filler = tf.fill([1024], 42);
  assert.deepEqual(Array.from(cx.dataSync()), [4, 5, 6]);
  assert.deepEqual(Array.from(cv.dataSync()), [1, 2, 3]);
  assert.deepEqual(Array.from(v.dataSync()), [7, 8, 9]);
  tf.dispose([cx, cv, v, filler]);
});
