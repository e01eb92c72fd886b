import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maximizeLbfgsb, minimizeLbfgsb } from '../../../src/bo/optim/lbfgsb';
import { assertClose } from './gradcheck';

function rosenbrock(x: number[]) {
  let value = 0;
  const grad = new Array(x.length).fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    value += 100 * a * a + b * b;
    grad[i] += -400 * a * x[i] - 2 * b;
    grad[i + 1] += 200 * a;
  }
  return { value, grad };
}

test('unconstrained Rosenbrock (d = 2 and 6) converges to the all-ones minimum', () => {
  for (const x0 of [
    [-1.2, 1],
    [-1, 0.5, 1.5, -0.3, 0.8, 2],
  ]) {
    const r = minimizeLbfgsb(rosenbrock, x0, { maxIterations: 1000, gradTol: 1e-9, valueTol: 0 });
    assert.equal(r.status, 'converged');
    assertClose(r.x, new Array(x0.length).fill(1), 1e-5, 1e-5, 'x*');
    assert.ok(r.value < 1e-10);
  }
});

test('Rosenbrock with an active bound stops on the bound at the constrained minimum', () => {
  // With x₀ ≤ 0.5 the minimum of (1−x₀)² + 100(x₁−x₀²)² is at (0.5, 0.25).
  const r = minimizeLbfgsb(rosenbrock, [-1, 2], {
    lower: [-2, -2],
    upper: [0.5, 2],
    gradTol: 1e-9,
  });
  assertClose(r.x, [0.5, 0.25], 1e-6, 1e-6, 'x*');
});

test('bounded quadratic: free, lower-active and upper-active coordinates all end where the KKT conditions say', () => {
  const c = [0.3, -2, 5, 0.7];
  const w = [1, 10, 0.1, 100]; // badly scaled on purpose
  const f = (x: number[]) => ({
    value: x.reduce((s, xi, i) => s + w[i] * (xi - c[i]) ** 2, 0),
    grad: x.map((xi, i) => 2 * w[i] * (xi - c[i])),
  });
  const r = minimizeLbfgsb(f, [0.5, 0.5, 0.5, 0.5], { lower: [0, 0, 0, 0], upper: [1, 1, 1, 1] });
  assert.equal(r.status, 'converged');
  assertClose(r.x, [0.3, 0, 1, 0.7], 1e-6, 1e-7, 'x*');
});

test('maximize reports the objective’s own value and gradient and keeps iterates in the box', () => {
  const f = (x: number[]) => ({
    value: -((x[0] - 2) ** 2) - (x[1] + 1) ** 2,
    grad: [-2 * (x[0] - 2), -2 * (x[1] + 1)],
  });
  const r = maximizeLbfgsb(f, [0.2, 0.9], { lower: [0, 0], upper: [1, 1] });
  assert.deepEqual(r.x, [1, 0]);
  assertClose(r.value, -2, 1e-12);
  assertClose(r.grad, [2, -2], 1e-12);
});

test('a non-finite starting value is reported, not thrown', () => {
  const r = minimizeLbfgsb(() => ({ value: Number.NaN, grad: [0] }), [0]);
  assert.equal(r.status, 'nonFinite');
  assert.throws(
    () => minimizeLbfgsb(rosenbrock, [0, 0], { lower: [1, 0], upper: [0, 1] }),
    /lower\[0\] = 1 exceeds upper\[0\] = 0/,
  );
});
