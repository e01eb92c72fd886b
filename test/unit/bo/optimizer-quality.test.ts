/**
 * What the optimizer's suggestions are worth, not only that they are valid: distinct points,
 * no re-evaluation of a model on the simplex, and more hypervolume than Sobol for the same budget.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hypervolume } from '../../../src/bo/hypervolume';
import { BayesOptimizer, type OptimizerOptions } from '../../../src/bo/optimizer';
import { SIMPLEX_DUPLICATE_TOL } from '../../../src/bo/search-space';

const FAST = { rawSamples: 128, restarts: 4 };

function maxNorm(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, k) => Math.abs(v - b[k]!)));
}

function runBudget(opts: OptimizerOptions, budget: number, f: (p: number[]) => number[]) {
  const opt = new BayesOptimizer(opts);
  const points: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < budget; i++) {
    const [s] = opt.suggest();
    points.push(s!.point);
    ys.push(f(s!.point));
    opt.observe(s!.x, ys[ys.length - 1]!);
  }
  return { opt, points, ys };
}

describe('BayesOptimizer on the simplex (fusion weights)', () => {
  // Two objectives both maximal at vertex 0: the acquisition keeps pulling towards a point
  // already evaluated. Catches a duplicate check done in coordinates (faces of the cube map to
  // one vertex), a GP over coordinates that cannot see it, or no fallback to the next candidate.
  test('optimum at a vertex: no two evaluations (members included) within the weight tolerance', () => {
    const K = 4;
    const f = (w: number[]) => [w[0]! + 0.2 * w[1]!, -((1 - w[0]!) ** 2) - 0.1 * w[2]!];
    for (const parametrization of ['stick-breaking', 'bomf-cube'] as const) {
      const opts: OptimizerOptions = {
        domain: { kind: 'simplex', size: K, parametrization },
        objectives: 2,
        seed: 4,
        initialDesign: K + 2,
        ...FAST,
      };
      const opt = new BayesOptimizer(opts);
      // The members (vertices) come first as free observations, as in stage 3.
      const taken: number[][] = [];
      for (let k = 0; k < K; k++) {
        const w = Array.from({ length: K }, (_, i) => (i === k ? 1 : 0));
        opt.observe(opt.fromPoint(w), f(w));
        taken.push(w);
      }
      for (let i = 0; i < 12; i++) {
        const [s] = opt.suggest();
        for (const t of taken) {
          assert.ok(
            maxNorm(s!.point, t) > SIMPLEX_DUPLICATE_TOL,
            `${parametrization}: evaluation ${i} [${s!.point.map((v) => v.toFixed(4))}] repeats [${t}]`,
          );
        }
        taken.push(s!.point);
        opt.observe(s!.x, f(s!.point));
      }
    }
  });
});

describe('BayesOptimizer, two objectives on a box', () => {
  /** Conflicting objectives with a curved front. */
  const f = (p: number[]) => {
    const [a, b] = p as [number, number];
    return [-((a - 0.2) ** 2) - 0.3 * (b - 0.5) ** 2, -((a - 0.8) ** 2) - 0.3 * (b - 0.4) ** 2];
  };
  const domain: OptimizerOptions['domain'] = {
    kind: 'box',
    params: [
      { name: 'a', type: 'float', low: 0, high: 1 },
      { name: 'b', type: 'float', low: 0, high: 1 },
    ],
  };
  const REF = [-0.8, -0.8];
  const BUDGET = 14;

  // The reference point is left to the optimizer (inferred from the observations in raw units
  // and standardized with them), and HV is measured against a fixed one. Catches an
  // unstandardized or wrong-side inferred reference point (flat acquisition: BO no better than
  // its Sobol fallback) and L-BFGS-B started from the worst raw samples.
  test('after a fixed budget, distinct suggestions with more hypervolume than Sobol', () => {
    for (const seed of [1, 2, 3]) {
      const bo = runBudget({ domain, objectives: 2, seed, initialDesign: 5, ...FAST }, BUDGET, f);
      const sobolOnly = runBudget(
        { domain, objectives: 2, seed, initialDesign: BUDGET },
        BUDGET,
        f,
      );
      bo.points.forEach((p, i) => {
        for (const q of bo.points.slice(0, i))
          assert.ok(maxNorm(p, q) > 1e-6, `seed ${seed}: repeat`);
      });
      const hvBO = hypervolume(bo.ys, REF);
      const hvSobol = hypervolume(sobolOnly.ys, REF);
      assert.ok(
        hvBO > hvSobol,
        `seed ${seed}: BO ${hvBO.toFixed(4)} vs Sobol ${hvSobol.toFixed(4)}`,
      );
    }
  });
});
