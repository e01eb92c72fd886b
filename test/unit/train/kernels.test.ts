/**
 * The JavaScript kernels against TF.js's own ops (cpu backend, composed formulas) and,
 * for erf, against a float64 Taylor series.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { erf } from '../../../src/train/kernels';
import { dropout, gelu, layerNorm, linear, transpose2D } from '../../../src/train/model/ops';

before(async () => {
  await initBackend('wasm');
});

function close(
  a: tf.Tensor | ArrayLike<number>,
  b: tf.Tensor | ArrayLike<number>,
  tol = 1e-5,
): void {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  assert.equal(x.length, y.length);
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs((x[i] as number) - (y[i] as number));
    assert.ok(d <= tol * Math.max(1, Math.abs(y[i] as number)), `index ${i}: ${x[i]} vs ${y[i]}`);
  }
}

/** Runs `f` on the cpu backend (TF.js's reference kernels), returning plain arrays. */
async function onCpu(f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  try {
    return tf.tidy(f).map((t) => {
      const d = t.dataSync() as Float32Array;
      t.dispose();
      return d;
    });
  } finally {
    await tf.setBackend('wasm');
  }
}

test('UnsortedSegmentSum on wasm matches the cpu kernel, so embeddings train on wasm', async () => {
  assert.equal(tf.getBackend(), 'wasm');
  const x = Array.from({ length: 7 * 3 }, (_, i) => Math.sin(i));
  const ids = [4, 0, 4, 2, -1, 9, 2]; // -1 and 9 (≥ numSegments) are dropped, as TF does
  const [expected] = await onCpu(() => [
    tf.unsortedSegmentSum(tf.tensor2d(x, [7, 3]), tf.tensor1d(ids, 'int32'), 5),
  ]);
  close(
    tf.unsortedSegmentSum(tf.tensor2d(x, [7, 3]), tf.tensor1d(ids, 'int32'), 5),
    expected as Float32Array,
  );

  const table = Array.from({ length: 6 * 4 }, (_, i) => Math.cos(i));
  const gatherGrad = () => {
    const t = tf.tensor2d(table, [6, 4]);
    const idx = tf.tensor1d([5, 1, 1, 3, 5, 5], 'int32');
    return [
      tf.grad((w: tf.Tensor) =>
        tf
          .gather(w, idx)
          .mul(tf.range(0, 24).reshape([6, 4]))
          .sum(),
      )(t),
    ];
  };
  const [cpuGrad] = await onCpu(gatherGrad);
  close(
    tf.tidy(() => gatherGrad()[0] as tf.Tensor),
    cpuGrad as Float32Array,
  );
});

test('transpose and linear layer (forward and gradients) match TF.js matMul with transpose flags', async () => {
  const x = tf.randomNormal([37, 24], 0, 1, 'float32', 1) as tf.Tensor2D;
  close(transpose2D(x), x.transpose());
  const weights = tf.randomNormal([24, 37], 0, 1, 'float32', 9);
  close(
    tf.grad((t: tf.Tensor) =>
      transpose2D(t as tf.Tensor2D)
        .mul(weights)
        .sum(),
    )(x),
    weights.transpose(),
  );
  for (const [out, inp] of [
    [40, 24],
    [9, 24],
  ] as const) {
    const w = tf.randomNormal([out, inp], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([out], 0, 1, 'float32', 3) as tf.Tensor1D;
    const proj = tf.randomNormal([37, out], 0, 1, 'float32', 4);
    const ours = tf.grads((xi, wi, bi) =>
      linear(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D)
        .mul(proj)
        .sum(),
    )([x, w, b]);
    const ref = tf.grads((xi, wi, bi) => tf.matMul(xi, wi, false, true).add(bi).mul(proj).sum())([
      x,
      w,
      b,
    ]);
    close(linear(x, w, b), tf.matMul(x, w, false, true).add(b), 1e-5);
    ours.forEach((g, i) => {
      close(g, ref[i] as tf.Tensor, 1e-4);
    });
  }
});

test('fused layer norm equals the composed formula, values and gradients', () => {
  // Width 18: the SIMD kernel's four-lane steps and its scalar tail both run.
  const x = tf.randomNormal([11, 18], 2, 3, 'float32', 5) as tf.Tensor2D;
  const g = tf.randomNormal([18], 1, 0.3, 'float32', 6) as tf.Tensor1D;
  const b = tf.randomNormal([18], 0, 0.3, 'float32', 7) as tf.Tensor1D;
  const proj = tf.randomNormal([11, 18], 0, 1, 'float32', 8);
  const composed = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
    const { mean, variance } = tf.moments(xi, -1, true);
    return xi.sub(mean).div(variance.add(1e-12).sqrt()).mul(gi).add(bi);
  };
  close(layerNorm(x, g, b, 1e-12), composed(x, g, b), 1e-5);
  const ours = tf.grads((xi, gi, bi) =>
    layerNorm(xi as tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D, 1e-12)
      .mul(proj)
      .sum(),
  )([x, g, b]);
  const ref = tf.grads((xi, gi, bi) => composed(xi, gi, bi).mul(proj).sum())([x, g, b]);
  ours.forEach((t, i) => {
    close(t, ref[i] as tf.Tensor, 1e-4);
  });
});

test('erf is within 2e-7 of a float64 Taylor series; GELU and its gradient match the formula', () => {
  const taylor = (x: number) => {
    let term = x;
    let sum = x;
    for (let n = 1; n < 80; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  };
  for (let x = -3; x <= 3; x += 0.0371) assert.ok(Math.abs(erf(x) - taylor(x)) < 2e-7, `erf(${x})`);

  const x = tf.linspace(-6, 6, 301);
  const formula = (v: number) => 0.5 * v * (1 + taylor(v / Math.SQRT2));
  const xs = Array.from(x.dataSync());
  close(
    gelu(x),
    xs.map((v) => (Math.abs(v) > 5 ? Math.max(v, 0) : formula(v))),
    2e-6,
  );
  const h = 1e-4;
  const numeric = xs.map((v) => (formula(v + h) - formula(v - h)) / (2 * h));
  const analytic = tf.grad((t: tf.Tensor) => gelu(t).sum())(x);
  const inRange = (a: ArrayLike<number>) =>
    Array.from(a).filter((_, i) => Math.abs(xs[i] as number) < 5);
  close(inRange(analytic.dataSync()), inRange(numeric), 1e-4);
});

test('dropout keeps ~1−rate of the entries scaled by 1/(1−rate); the mask is a function of the seed', () => {
  const x = tf.ones([200, 500]);
  const y = dropout(x, 0.1, 42).dataSync();
  const kept = y.filter((v) => v !== 0);
  assert.ok(Math.abs(kept.length / y.length - 0.9) < 0.005);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.9) < 1e-6));
  assert.deepEqual(dropout(x, 0.1, 42).dataSync(), y);
  assert.notDeepEqual(dropout(x, 0.1, 43).dataSync(), y);
  // The gradient is the same mask and scale applied to dy.
  const grad = tf
    .grad((t: tf.Tensor) => dropout(t, 0.1, 42).sum())(x)
    .dataSync();
  assert.deepEqual(grad, y);
});
