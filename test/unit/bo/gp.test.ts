import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExactGP, evaluateKernel, type KernelKind } from '../../../src/bo/gp';
import fixture from '../../fixtures/bo/gp_sklearn.json';
import { assertClose, assertGradClose, finiteDifferenceGradient } from './gradcheck';

type Case = (typeof fixture.cases)[number];
const gpOf = (c: Case) =>
  new ExactGP(c.X, c.y, {
    lengthscales: c.lengthscales,
    outputscale: c.outputscale,
    noise: c.noise,
    mean: c.mean,
    kernel: c.kernel as KernelKind,
  });

for (const c of fixture.cases) {
  const label = `${c.kernel} n=${c.X.length} d=${c.lengthscales.length}`;

  test(`posterior mean and latent variance match sklearn (${label})`, () => {
    const post = gpOf(c).posterior(c.Xs);
    assertClose(post.mean, c.posteriorMean, 1e-8, 1e-10, 'mean');
    const sklearnVar = c.posteriorCovariance.map((row, i) => row[i]);
    assertClose(post.variance, sklearnVar, 1e-6, 1e-10, 'variance');
  });

  test(`joint covariance matches sklearn and is symmetric (${label})`, () => {
    const joint = gpOf(c).posteriorJoint(c.Xs);
    joint.covariance.forEach((row, i) => {
      assertClose(row, c.posteriorCovariance[i], 1e-6, 1e-10, `cov row ${i}`);
      for (const [j, v] of row.entries()) assert.equal(v, joint.covariance[j][i]);
    });
  });

  test(`log marginal likelihood and its gradient match sklearn (${label})`, () => {
    const gp = gpOf(c);
    assertClose(gp.logMarginalLikelihood(), c.lml, 1e-10, 1e-10, 'lml');
    const d = c.lengthscales.length;
    const g = gp.logMarginalLikelihoodGrad();
    assertClose(g.slice(0, d), c.lmlGradLogLengthscales, 1e-7, 1e-9, 'dlml/dlog ell');
    assertClose(g[d], c.lmlGradLogOutputscale, 1e-7, 1e-9, 'dlml/dlog s');
    assertClose(g[d + 1], c.lmlGradLogNoise, 1e-7, 1e-9, 'dlml/dlog noise');
  });
}

const base = fixture.cases[0];
const d = base.lengthscales.length;

for (const kernel of ['matern52', 'rbf'] as const) {
  test(`LML gradient matches finite differences in all log-hyperparameters and the mean (${kernel})`, () => {
    const lml = (theta: number[]) =>
      new ExactGP(base.X, base.y, {
        lengthscales: theta.slice(0, d).map(Math.exp),
        outputscale: Math.exp(theta[d]),
        noise: Math.exp(theta[d + 1]),
        mean: theta[d + 2],
        kernel,
      }).logMarginalLikelihood();
    const theta = [...base.lengthscales.map(Math.log), Math.log(1.3), Math.log(0.01), 0.2];
    const gp = new ExactGP(base.X, base.y, {
      lengthscales: base.lengthscales,
      outputscale: 1.3,
      noise: 0.01,
      mean: 0.2,
      kernel,
    });
    assertGradClose(gp.logMarginalLikelihoodGrad(), finiteDifferenceGradient(lml, theta, 1e-5), {
      rtol: 1e-5,
      atol: 1e-6,
      what: 'dLML/dθ',
    });
  });

  test(`kernel gradients in x and log-hyperparameters match finite differences (${kernel})`, () => {
    const a = [0.2, 0.7, 0.4];
    const b = [0.5, 0.1, 0.45];
    const ell = [0.3, 0.8, 0.5];
    const ev = evaluateKernel({ kind: kernel, lengthscales: ell, outputscale: 2 }, a, b);
    const kOfA = (x: number[]) =>
      evaluateKernel({ kind: kernel, lengthscales: ell, outputscale: 2 }, x, b).value;
    assertGradClose(ev.gradA, finiteDifferenceGradient(kOfA, a), { what: 'dk/da' });
    const kOfLogEll = (t: number[]) =>
      evaluateKernel({ kind: kernel, lengthscales: t.map(Math.exp), outputscale: 2 }, a, b).value;
    assertGradClose(
      ev.gradLogLengthscales,
      finiteDifferenceGradient(kOfLogEll, ell.map(Math.log)),
      {
        what: 'dk/dlog ell',
      },
    );
    assertClose(ev.gradLogOutputscale, ev.value, 1e-15);
  });

  test(`posterior mean, variance and joint covariance gradients in x match finite differences (${kernel})`, () => {
    const gp = new ExactGP(base.X, base.y, {
      lengthscales: base.lengthscales,
      outputscale: 1.5,
      noise: 1e-4,
      mean: 0.1,
      kernel,
    });
    const x = [0.31, 0.52, 0.77];
    const pg = gp.posteriorWithGrad(x);
    assertGradClose(
      pg.meanGrad,
      finiteDifferenceGradient((z) => gp.posterior([z]).mean[0], x),
      { what: 'dmean/dx' },
    );
    assertGradClose(
      pg.varianceGrad,
      finiteDifferenceGradient((z) => gp.posterior([z]).variance[0], x),
      {
        what: 'dvar/dx',
      },
    );
    const Xs = [x, [0.6, 0.2, 0.1], [0.35, 0.5, 0.7]];
    const joint = gp.posteriorJoint(Xs, true);
    for (let i = 0; i < Xs.length; i++) {
      for (let j = 0; j < Xs.length; j++) {
        const covOfXi = (z: number[]) => {
          const moved = Xs.map((row, r) => (r === i ? z : row));
          return gp.posteriorJoint(moved).covariance[i][j];
        };
        assertGradClose(joint.covarianceGrad[i][j], finiteDifferenceGradient(covOfXi, Xs[i]), {
          what: `dCov[${i}][${j}]/dx_${i}`,
        });
      }
      assertGradClose(
        joint.meanGrad[i],
        finiteDifferenceGradient((z) => gp.posterior([z]).mean[0], Xs[i]),
        {
          what: `dmean_${i}/dx_${i}`,
        },
      );
    }
  });
}

test('the notes’ fixture: RBF posterior and LML (values from bo-reference.md §2.5)', () => {
  // Independent numpy computation recorded in /work/shared/notes/bo-reference.md; data standardized
  // with the unbiased std (mean 0.28, std 0.985900603509299).
  const y = [0.3, -1.2, 0.7, 0.1, 1.5].map((v) => (v - 0.28) / 0.985900603509299);
  const X = [
    [0.1, 0.2],
    [0.4, 0.9],
    [0.8, 0.3],
    [0.55, 0.55],
    [0.95, 0.05],
  ];
  const gp = new ExactGP(X, y, {
    lengthscales: [0.3, 0.5],
    outputscale: 1,
    noise: 1e-4,
    mean: 0,
    kernel: 'rbf',
  });
  const post = gp.posterior([
    [0.5, 0.5],
    [0, 1],
  ]);
  assertClose(post.mean, [-0.09334089457190484, -0.9831565861341054], 1e-9);
  assertClose(post.variance, [0.02241759609365812, 0.7268324094716743], 1e-8);
  assertClose(gp.logMarginalLikelihood(), -6.95556556821132, 1e-10);
});

test('duplicate inputs without noise still factorize (jitter) and keep a finite posterior', () => {
  const X = [
    [0.2, 0.3],
    [0.2, 0.3],
    [0.2, 0.3],
    [0.7, 0.9],
  ];
  const gp = new ExactGP(X, [1, 1, 1, -1], {
    lengthscales: [0.4, 0.4],
    outputscale: 1,
    noise: 1e-300,
    mean: 0,
  });
  assert.ok(gp.jitter > 0);
  const post = gp.posterior([
    [0.2, 0.3],
    [0.5, 0.5],
  ]);
  assert.ok(post.mean.every(Number.isFinite) && post.variance.every((v) => v >= 1e-12));
  assertClose(post.mean[0], 1, 1e-4);
  assert.ok(Number.isFinite(gp.logMarginalLikelihood()));
});

test('bad shapes and hyperparameters are rejected with the field named', () => {
  const hp = { lengthscales: [0.5, 0.5], outputscale: 1, noise: 1e-3, mean: 0 };
  assert.throws(() => new ExactGP([[0, 0]], [1, 2], hp), /1 rows but y has 2/);
  assert.throws(() => new ExactGP([[0, 0, 0]], [1], hp), /X\[0\] has 3 coordinates, expected 2/);
  assert.throws(() => new ExactGP([[0, 0]], [1], { ...hp, noise: 0 }), /noise must be positive/);
  assert.throws(() => new ExactGP([[0, 0]], [Number.NaN], hp), /y\[0\] is not finite/);
});
