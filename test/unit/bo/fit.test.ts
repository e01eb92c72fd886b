import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fitGP,
  lengthscalePrior,
  logNormalLogDensity,
  logNormalMode,
  standardize,
} from '../../../src/bo/gp';
import fixture from '../../fixtures/bo/fit_scipy.json';
import { assertClose, assertGradClose, finiteDifferenceGradient } from './gradcheck';

test('standardize uses the unbiased std and guards one point and constant outcomes', () => {
  const s = standardize([0.3, -1.2, 0.7, 0.1, 1.5]);
  assertClose(s.mean, 0.28, 1e-15);
  assertClose(s.std, 0.985900603509299, 1e-14); // value from bo-reference.md §2.5
  const one = standardize([4.2]);
  assert.deepEqual([one.mean, one.std, one.values], [4.2, 1, [0]]);
  const flat = standardize([2, 2, 2]);
  assert.deepEqual([flat.std, flat.values], [1, [0, 0, 0]]);
  assert.throws(() => standardize([]), /at least one/);
  assert.throws(() => standardize([1, Number.POSITIVE_INFINITY]), /y\[1\] is not finite/);
});

test('lengthscale prior: BoTorch constants and log-density (values from bo-reference.md §2.5)', () => {
  const p = lengthscalePrior(2);
  assertClose(p.mu, 1.7607871526530678, 1e-15);
  assertClose(logNormalLogDensity(p, Math.log(0.3)).value, -1.7292388069638158, 1e-13);
  assertClose(
    logNormalLogDensity({ mu: -4, sigma: 1 }, Math.log(1e-4)).value,
    -5.282421557150938,
    1e-13,
  );
  assertClose(logNormalMode(lengthscalePrior(6)), 0.50162, 1e-4);
  const g = logNormalLogDensity(p, 0.4).dLog;
  assertGradClose(
    [g],
    finiteDifferenceGradient((t) => logNormalLogDensity(p, t[0]).value, [0.4]),
  );
});

for (const [i, c] of fixture.cases.entries()) {
  test(`MAP fit reaches scipy's best optimum of the same objective (case ${i}: n=${c.X.length}, d=${c.X[0].length})`, () => {
    const fit = fitGP(c.X, c.y, { noiseFloor: c.noiseFloor });
    assert.ok(fit.converged);
    // Our optimum is at least as good as scipy's best of 30 starts (up to optimizer tolerance).
    assert.ok(
      fit.logPosterior >= c.logPosterior - 1e-3,
      `ours ${fit.logPosterior} vs scipy ${c.logPosterior}`,
    );
    const d = c.X[0].length;
    const ours = [
      ...fit.hyperparameters.lengthscales.map(Math.log),
      Math.log(fit.hyperparameters.outputscale),
    ];
    assertClose(ours, c.theta.slice(0, d + 1), 0, 0.02, 'log ℓ, log s');
  });
}

test('the fitted posterior is in original units and nearly interpolates noiseless data', () => {
  const c = fixture.cases[0];
  const fit = fitGP(c.X, c.y);
  const post = fit.posterior(c.X);
  // The noise prior keeps σ² ≈ 2e-3 (standardized), so the fit smooths slightly.
  assertClose(post.mean, c.y, 0, 0.05 * fit.yStd, 'mean at training points');
  const std = fit.gp.posterior(c.X);
  assertClose(
    post.variance,
    std.variance.map((v) => v * fit.yStd ** 2),
    1e-14,
    0,
    'variance scale',
  );
  const x = [0.37, 0.61];
  const g = fit.posteriorWithGrad(x);
  assertClose(g.mean, fit.posterior([x]).mean[0], 1e-14);
  assertGradClose(
    g.meanGrad,
    finiteDifferenceGradient((z) => fit.posterior([z]).mean[0], x),
    { what: 'dmean/dx' },
  );
  assertGradClose(
    g.varianceGrad,
    finiteDifferenceGradient((z) => fit.posterior([z]).variance[0], x),
    {
      what: 'dvar/dx',
    },
  );
  const joint = fit.posteriorJoint([x, [0.1, 0.9]], true);
  assertClose(joint.covariance[0][0], g.variance, 1e-12);
  assertClose(joint.meanGrad[0], g.meanGrad, 1e-12);
});

test('warm start from the previous fit lands on the same optimum with fewer starts', () => {
  const c = fixture.cases[1];
  const cold = fitGP(c.X, c.y);
  const warm = fitGP(c.X, c.y, { warmStart: cold.hyperparameters });
  assert.ok(warm.logPosterior >= cold.logPosterior - 1e-6);
});

test('one observation and constant outcomes still give a usable model', () => {
  const single = fitGP([[0.5, 0.5]], [3]);
  const p = single.posterior([
    [0.5, 0.5],
    [0, 0],
  ]);
  assert.ok(p.mean.every(Number.isFinite) && p.variance.every((v) => v > 0));
  assertClose(p.mean[0], 3, 0, 1e-2);
  const flat = fitGP([[0.1], [0.5], [0.9]], [2, 2, 2]);
  assertClose(flat.posterior([[0.3]]).mean[0], 2, 0, 1e-6);
});

test('duplicate inputs and a tiny noise floor do not break the fit', () => {
  const X = [
    [0.2, 0.2],
    [0.2, 0.2],
    [0.8, 0.1],
    [0.5, 0.9],
    [0.5, 0.9],
  ];
  const fit = fitGP(X, [1, 1, 0, 2, 2], { noiseFloor: 1e-9 });
  assert.ok(fit.converged && fit.hyperparameters.noise >= 1e-9);
  assert.ok(fit.posterior([[0.4, 0.4]]).mean.every(Number.isFinite));
});

test('bad inputs are rejected with a clear message', () => {
  assert.throws(() => fitGP([], []), /at least one observation/);
  assert.throws(() => fitGP([[0]], [1, 2]), /1 rows but y has 2/);
  assert.throws(() => fitGP([[0]], [1], { noiseFloor: 0 }), /noiseFloor/);
});
