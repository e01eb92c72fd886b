import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  expectedHypervolumeImprovement,
  logExpectedHypervolumeImprovement,
} from '../../../src/bo/acquisition/ehvi';
import { hypervolumeImprovementFromBoxes, nonDominatedBoxes } from '../../../src/bo/hypervolume';

const FRONT = [
  [4, 5],
  [5, 5],
  [8.5, 3.5],
  [8.5, 3],
  [9, 1],
];

/**
 * Independent reference: E[HVI(Y)] by a tensor midpoint rule over ±9σ. HVI(y) comes from the box
 * decomposition, which the hypervolume tests check against brute-force inclusion–exclusion.
 */
function ehviByQuadrature(
  mean: number[],
  sigma: number[],
  front: number[][],
  ref: number[],
): number {
  const boxes = nonDominatedBoxes(front, ref);
  const N = 1500;
  const grids = mean.map((mu, j) => {
    const lo = mu - 9 * sigma[j]!;
    const step = (18 * sigma[j]!) / N;
    return Array.from({ length: N }, (_, i) => {
      const t = lo + (i + 0.5) * step;
      const z = (t - mu) / sigma[j]!;
      return { t, w: (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / sigma[j]!) * step };
    });
  });
  let total = 0;
  for (const a of grids[0]!) {
    for (const b of grids[1]!)
      total += a.w * b.w * hypervolumeImprovementFromBoxes([a.t, b.t], boxes);
  }
  return total;
}

describe('expectedHypervolumeImprovement', () => {
  test('matches values computed independently with scipy (bo-reference.md §2.5)', () => {
    const cases: [number[], number[], number][] = [
      [[6, 4], [1, 1], 1.170566399676495],
      [[6.5, 4.5], [0.5, 0.5], 1.714849575075138],
      [[2, 2], [1, 1], 7.786070749861e-4],
      [[10, 6], [2, 0.5], 23.328650049739927],
    ];
    for (const [mean, sigma, expected] of cases) {
      const got = expectedHypervolumeImprovement(mean, sigma, FRONT, [0, 0]);
      assert.ok(Math.abs(got - expected) <= 1e-11 * expected, `${mean}: ${got} vs ${expected}`);
    }
  });

  test('matches 2-D numerical integration of the hypervolume improvement', () => {
    const cases: [number[], number[]][] = [
      [
        [7, 4.2],
        [0.8, 0.4],
      ],
      [
        [3, 6],
        [1.5, 0.3],
      ],
      [
        [9.5, 0.5],
        [0.2, 2],
      ],
    ];
    for (const [mean, sigma] of cases) {
      const expected = ehviByQuadrature(mean, sigma, FRONT, [0.5, 0.2]);
      const got = expectedHypervolumeImprovement(mean, sigma, FRONT, [0.5, 0.2]);
      assert.ok(Math.abs(got - expected) <= 1e-5 * expected, `${mean}: ${got} vs ${expected}`);
    }
  });

  test('tends to the deterministic improvement as σ → 0', () => {
    const got = expectedHypervolumeImprovement([6.5, 4.5], [1e-7, 1e-7], FRONT, [0, 0]);
    assert.ok(Math.abs(got - 1.5) < 1e-6);
  });

  test('log form stays finite far below the front, with finite gradients', () => {
    for (const shift of [5, 20, 60]) {
      const r = logExpectedHypervolumeImprovement(
        [4 - shift, 3 - shift],
        [0.3, 0.3],
        FRONT,
        [0, 0],
      );
      assert.ok(Number.isFinite(r.value) && r.value < -10, `shift ${shift}: ${r.value}`);
      for (const g of [...r.meanGrad, ...r.sigmaGrad]) assert.ok(Number.isFinite(g) && g !== 0);
    }
  });

  test('gradients agree with central finite differences', () => {
    const points: [number[], number[]][] = [
      [
        [6, 4],
        [1, 1],
      ],
      [
        [9.2, 0.4],
        [0.3, 0.7],
      ],
      [
        [2, 2],
        [0.5, 0.4],
      ],
      [
        [-3, -2],
        [0.6, 0.6],
      ],
      [
        [8.6, 3.2],
        [0.01, 0.02],
      ],
    ];
    const ref = [0.5, 0.2];
    const h = 1e-6;
    for (const [mean, sigma] of points) {
      const r = logExpectedHypervolumeImprovement(mean, sigma, FRONT, ref);
      for (let j = 0; j < 2; j++) {
        const step = h * Math.max(1, sigma[j]!);
        const fd = (dm: number[], ds: number[]) =>
          (logExpectedHypervolumeImprovement(dm, ds, FRONT, ref).value -
            logExpectedHypervolumeImprovement(
              mean.map((v, k) => (k === j ? 2 * v - dm[k]! : v)),
              sigma.map((v, k) => (k === j ? 2 * v - ds[k]! : v)),
              FRONT,
              ref,
            ).value) /
          (2 * step);
        const up = (v: number[], k: number) => v.map((x, i) => (i === k ? x + step : x));
        const dMean = fd(up(mean, j), sigma);
        const dSigma = fd(mean, up(sigma, j));
        const tol = (x: number) => 1e-5 * Math.max(1, Math.abs(x));
        assert.ok(
          Math.abs(dMean - r.meanGrad[j]!) < tol(dMean),
          `∂μ${j} at ${mean}: ${r.meanGrad[j]} vs ${dMean}`,
        );
        assert.ok(
          Math.abs(dSigma - r.sigmaGrad[j]!) < tol(dSigma),
          `∂σ${j} at ${mean}: ${r.sigmaGrad[j]} vs ${dSigma}`,
        );
      }
    }
  });
});
