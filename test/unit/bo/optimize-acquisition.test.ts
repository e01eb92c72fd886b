import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optimizeAcquisition } from '../../../src/bo/optim';
import { assertClose } from './gradcheck';

/** Sum of Gaussian bumps: a multimodal test surface with known modes. */
function bumps(centers: number[][], heights: number[], width: number) {
  return (x: number[]) => {
    let value = 0;
    const grad = new Array(x.length).fill(0);
    centers.forEach((c, b) => {
      const r2 = c.reduce((s, ck, k) => s + (x[k] - ck) ** 2, 0);
      const v = heights[b] * Math.exp(-r2 / (2 * width * width));
      value += v;
      for (let k = 0; k < x.length; k++) grad[k] -= (v * (x[k] - c[k])) / (width * width);
    });
    return { value, grad };
  };
}

test('finds the global mode of a multimodal function in 3-D', () => {
  const f = bumps(
    [
      [0.2, 0.8, 0.3],
      [0.7, 0.25, 0.6],
      [0.9, 0.9, 0.9],
    ],
    [1, 1.3, 0.8],
    0.12,
  );
  const r = optimizeAcquisition(f, 3, { seed: 1 });
  assertClose(r.x, [0.7, 0.25, 0.6], 1e-4, 1e-4, 'argmax');
  assert.equal(r.duplicate, false);
});

test('the incumbent start finds a narrow peak that the raw samples miss', () => {
  const f = bumps(
    [
      [0.5123, 0.4877],
      [0.1, 0.1],
    ],
    [5, 1],
    0.004,
  );
  const wide = bumps([[0.1, 0.1]], [1], 0.3);
  const g = (x: number[]) => {
    const a = f(x);
    const b = wide(x);
    return { value: a.value + b.value, grad: a.grad.map((v, k) => v + b.grad[k]) };
  };
  const without = optimizeAcquisition(g, 2, { rawSamples: 64, seed: 3 });
  assert.ok(without.value < 3, 'the narrow peak is invisible to 64 raw samples');
  const withIncumbent = optimizeAcquisition(g, 2, {
    rawSamples: 64,
    seed: 3,
    incumbents: [[0.51, 0.49]],
  });
  assert.ok(withIncumbent.value > 5, `value ${withIncumbent.value}`);
});

test('a candidate that duplicates an evaluated point is replaced by the next best one', () => {
  // Maximum at the corner (1, 1), which L-BFGS-B reaches exactly.
  const f = (x: number[]) => ({ value: x[0] + 2 * x[1], grad: [1, 2] });
  const first = optimizeAcquisition(f, 2, { rawSamples: 32, restarts: 4 });
  assert.deepEqual(first.x, [1, 1]);
  const second = optimizeAcquisition(f, 2, { rawSamples: 32, restarts: 4, avoid: [[1, 1]] });
  assert.equal(second.duplicate, false);
  assert.notDeepEqual(second.x, [1, 1]);
  assert.ok(second.value > 2.5, `fallback value ${second.value}`);
});

test('respects custom bounds and is deterministic for a seed', () => {
  const f = bumps([[3, -2]], [1], 1);
  const opts = { seed: 5, bounds: { lower: [0, -1], upper: [2, 1] } };
  const r = optimizeAcquisition(f, 2, opts);
  assertClose(r.x, [2, -1], 1e-9, 1e-9, 'corner');
  assert.deepEqual(optimizeAcquisition(f, 2, opts), r);
});

test('a batched value function for the raw samples gives the same result as point-wise values', () => {
  const f = bumps(
    [
      [0.3, 0.6],
      [0.8, 0.2],
    ],
    [1, 1.2],
    0.15,
  );
  const pointwise = optimizeAcquisition(f, 2, { seed: 9, rawSamples: 128 });
  let calls = 0;
  const batched = optimizeAcquisition(f, 2, {
    seed: 9,
    rawSamples: 128,
    batchValue: (X) => {
      calls++;
      return X.map((x) => f(x).value);
    },
  });
  assert.equal(calls, 1);
  assert.deepEqual(batched, pointwise);
});
