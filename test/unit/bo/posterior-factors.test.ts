import { describe, test } from 'node:test';
import { buildAcquisition } from '../../../src/bo/acquisition/acquisition';
import { warpInputs } from '../../../src/bo/acquisition/input-warp';
import { cubeToSimplexWithJacobian } from '../../../src/bo/domain';
import { fitGP } from '../../../src/bo/gp/fit';
import { Random } from '../../../src/bo/random';
import { assertClose, assertGradClose, finiteDifferenceGradient } from './gradcheck';

function fitted(n: number, d: number, seed: number) {
  const rng = new Random(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform()));
  const y = X.map((x) => Math.sin(4 * x[0]!) + x.reduce((s, v) => s + v * v, 0));
  return { X, y, model: fitGP(X, y, { noiseFloor: 1e-4 }) };
}

describe('GP posterior factors (the read-only view acquisitions use)', () => {
  // Catches a factor view that forgets the yStd² scaling, or a solve by Lᵀ alone.
  test('k(A,B) − k(A,X)·solve(k(X,B)) is the posterior covariance of posteriorJoint', () => {
    const { model } = fitted(9, 3, 1);
    const f = model.factors;
    const A = [
      [0.1, 0.5, 0.9],
      [0.7, 0.2, 0.3],
      [0.4, 0.4, 0.4],
    ];
    const kAA = f.priorCovariance(A, A);
    const W = f.solve(f.crossCovariance(A), A.length);
    const kXA = f.crossCovariance(A);
    const joint = model.posteriorJoint(A);
    for (let i = 0; i < A.length; i++) {
      for (let j = 0; j < A.length; j++) {
        let c = kAA[i * A.length + j]!;
        for (let l = 0; l < f.n; l++) c -= kXA[l * A.length + i]! * W[l * A.length + j]!;
        assertClose(c, joint.covariance[i]![j]!, 1e-6, 1e-9);
      }
    }
  });

  // Catches a sign flip or a missing 1/ℓ in the kernel's input gradient.
  test('input gradients of the prior and cross-covariances match finite differences', () => {
    const { model, X } = fitted(7, 2, 2);
    const f = model.factors;
    const x = [0.33, 0.61];
    const B = [[0.2, 0.9], X[3]!];
    const gX = f.crossCovarianceGrad(x);
    const gB = f.priorCovarianceGrad(B, x);
    for (let l = 0; l < f.n; l++) {
      const fd = finiteDifferenceGradient((z) => f.crossCovariance([z])[l]!, x);
      assertGradClose([gX[2 * l]!, gX[2 * l + 1]!], fd, { what: `∂k(X_${l}, x)` });
    }
    B.forEach((_, i) => {
      const fd = finiteDifferenceGradient((z) => f.priorCovariance(B, [z])[i]!, x);
      assertGradClose([gB[2 * i]!, gB[2 * i + 1]!], fd, { what: `∂k(B_${i}, x)` });
    });
  });
});

describe('acquisition objects', () => {
  // Catches a factory whose batched screen disagrees with the point-wise value (e.g. a
  // different incumbent or reference point in the two paths).
  test('values(X) equals valueAndGrad(x).value for every kind', () => {
    const rng = new Random(3);
    const X = Array.from({ length: 8 }, () => [rng.uniform(), rng.uniform()]);
    const Y = X.map(([a, b]) => [Math.sin(3 * a!) + b!, Math.cos(2 * b!) - a!]);
    const models = [0, 1].map((j) =>
      fitGP(
        X,
        Y.map((y) => y[j]!),
      ),
    );
    const Q = [
      [0.1, 0.2],
      [0.8, 0.4],
      [0.5, 0.95],
    ];
    for (const kind of ['logei', 'ehvi', 'qlognehvi'] as const) {
      const acq = buildAcquisition({
        kind,
        models: kind === 'logei' ? models.slice(0, 1) : models,
        observed: kind === 'logei' ? Y.map((y) => [y[0]!]) : Y,
        baseline: X,
        ref: [-2, -2],
        mcSamples: 32,
        seed: 1,
      });
      const batch = acq.values(Q);
      Q.forEach((q, i) => {
        assertClose(batch[i]!, acq.valueAndGrad(q).value, 1e-10, 1e-12);
      });
    }
  });

  // Catches a warped gradient that uses J instead of Jᵀ, or drops the −w_i/Σz term.
  test('an acquisition warped through z ↦ z/Σz has the chain-rule gradient', () => {
    const rng = new Random(5);
    const W = Array.from({ length: 10 }, () => {
      const z = [rng.uniform(), rng.uniform(), rng.uniform()];
      return cubeToSimplexWithJacobian(z).point;
    });
    const y = W.map((w) => w[0]! - 2 * (w[1]! - 0.3) ** 2);
    const acq = buildAcquisition({
      kind: 'logei',
      models: [fitGP(W, y)],
      observed: y.map((v) => [v]),
      baseline: W,
      ref: [0],
    });
    const warped = warpInputs(acq, cubeToSimplexWithJacobian);
    for (const z of [
      [0.9, 0.2, 0.4],
      [0.3, 0.95, 0.05],
    ]) {
      const fd = finiteDifferenceGradient((v) => warped.valueAndGrad(v).value, z);
      assertGradClose(warped.valueAndGrad(z).grad, fd, { rtol: 1e-5, atol: 1e-6 });
      const direct = acq.valueAndGrad(cubeToSimplexWithJacobian(z).point).value;
      assertClose(warped.values([z])[0]!, direct, 1e-10, 1e-12);
    }
  });
});
