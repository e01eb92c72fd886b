import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BayesOptimizer, type OptimizerOptions } from '../../../src/bo/optimizer';

const FAST = { rawSamples: 64, restarts: 3 };

const twoFloats: OptimizerOptions['domain'] = {
  kind: 'box',
  params: [
    { name: 'a', type: 'float', low: 0, high: 1 },
    { name: 'b', type: 'float', low: -2, high: 2 },
  ],
};

/** Two conflicting smooth objectives on [0,1]×[−2,2] (maximized). */
function twoObjectives(p: number[]): number[] {
  const [a, b] = p as [number, number];
  return [-((a - 0.2) ** 2) - 0.1 * b * b, -((a - 0.8) ** 2) - 0.1 * (b - 1) ** 2];
}

function run(opt: BayesOptimizer, steps: number, f: (p: number[]) => number[]) {
  const seen = [];
  for (let i = 0; i < steps; i++) {
    const [s] = opt.suggest();
    seen.push(s!);
    opt.observe(s!.x, f(s!.point));
  }
  return seen;
}

describe('BayesOptimizer', () => {
  test('is deterministic given the seed and the observations, and rebuilds for resume', () => {
    const opts: OptimizerOptions = {
      domain: twoFloats,
      objectives: 2,
      seed: 7,
      initialDesign: 4,
      ...FAST,
    };
    const a = run(new BayesOptimizer(opts), 8, twoObjectives);
    const bOpt = new BayesOptimizer(opts);
    const b = run(bOpt, 8, twoObjectives);
    assert.deepEqual(a, b);
    assert.deepEqual(
      a.map((s) => s.source),
      ['initial', 'initial', 'initial', 'initial', 'bo', 'bo', 'bo', 'bo'],
    );
    const rebuilt = BayesOptimizer.fromObservations(opts, bOpt.observations);
    assert.deepEqual(rebuilt.suggest(), bOpt.suggest());
    const other = run(new BayesOptimizer({ ...opts, seed: 8 }), 2, twoObjectives);
    assert.notDeepEqual(other[0]!.x, a[0]!.x);
  });

  test('finds the maximum of a one-objective function with LogEI', () => {
    const opts: OptimizerOptions = {
      domain: { kind: 'box', params: [{ name: 'x', type: 'float', low: -1, high: 2 }] },
      objectives: 1,
      seed: 1,
      initialDesign: 3,
      ...FAST,
    };
    const opt = new BayesOptimizer(opts);
    run(opt, 12, (p) => [Math.sin(3 * p[0]!) - 0.3 * p[0]! ** 2]);
    const best = opt.observations[opt.paretoFront()[0]!]!;
    // The maximum of sin(3x) − 0.3x² on [−1, 2] is at x ≈ 0.5065 (value ≈ 0.9219).
    assert.ok(best.y[0]! > 0.92, `best ${best.y[0]}`);
    assert.equal(opt.paretoFront().length, 1);
  });

  test('batches: distinct points, pending ones are never suggested again', () => {
    const opt = new BayesOptimizer({
      domain: twoFloats,
      objectives: 2,
      seed: 3,
      initialDesign: 3,
      ...FAST,
    });
    run(opt, 3, twoObjectives);
    const batch = opt.suggest(3);
    const more = opt.suggest(2);
    const all = [...batch, ...more, ...opt.observations.map((o) => ({ x: o.x }))];
    for (let i = 0; i < all.length; i++) {
      for (let j = 0; j < i; j++) {
        assert.ok(
          all[i]!.x.some((v, k) => Math.abs(v - all[j]!.x[k]!) > 1e-6),
          `${i} repeats ${j}`,
        );
      }
    }
    assert.ok(batch.every((s) => s.source === 'bo'));
    for (const s of batch) opt.observe(s.x, twoObjectives(s.point));
    assert.equal(opt.observations.length, 6);
  });

  test('an exhausted integer domain falls back to unused points, then allows repeats', () => {
    const opt = new BayesOptimizer({
      domain: { kind: 'box', params: [{ name: 'k', type: 'int', low: 1, high: 3 }] },
      objectives: 1,
      seed: 0,
      initialDesign: 1,
      ...FAST,
    });
    const values: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [s] = opt.suggest();
      values.push(s!.point[0]!);
      opt.observe(s!.x, [-((s!.point[0]! - 2) ** 2)]);
    }
    assert.deepEqual(values.sort(), [1, 2, 3]);
    const [again] = opt.suggest();
    assert.ok([1, 2, 3].includes(again!.point[0]!));
  });

  test('simplex domain: weights on the simplex, hypervolume and front over observations', () => {
    for (const parametrization of ['stick-breaking', 'bomf-cube'] as const) {
      const opt = new BayesOptimizer({
        domain: { kind: 'simplex', size: 3, parametrization },
        objectives: 2,
        seed: 5,
        initialDesign: 4,
        refPoint: [0, 0],
        ...FAST,
      });
      const seen = run(opt, 6, (w) => [w[0]! + 0.5 * w[1]!, w[2]! + 0.5 * w[1]!]);
      for (const s of seen) {
        assert.equal(s.x.length, parametrization === 'stick-breaking' ? 2 : 3);
        assert.ok(Math.abs(s.point.reduce((a, b) => a + b, 0) - 1) < 1e-12);
        assert.deepEqual(opt.toPoint(s.x), s.point);
      }
      assert.ok(opt.hypervolume() > 0);
      assert.ok(opt.paretoFront().length >= 1);
    }
  });

  test('rejects bad options and observations with the field named', () => {
    assert.throws(
      () => new BayesOptimizer({ domain: twoFloats, objectives: 0, seed: 0, initialDesign: 2 }),
      /objectives/,
    );
    assert.throws(
      () =>
        new BayesOptimizer({
          domain: twoFloats,
          objectives: 1,
          seed: 0,
          initialDesign: 2,
          acquisition: 'ehvi',
        }),
      /ehvi/,
    );
    const opt = new BayesOptimizer({ domain: twoFloats, objectives: 2, seed: 0, initialDesign: 2 });
    assert.throws(() => opt.observe([0.5], [1, 2]), /coordinates/);
    assert.throws(() => opt.observe([0.5, 0.5], [1, Number.NaN]), /finite/);
    assert.throws(() => opt.observe([0.5, 1.5], [1, 2]), /\[0,1\]/);
  });
});

describe('BayesOptimizer with three objectives', () => {
  test('uses qLogNEHVI by default and returns valid, distinct simplex points', () => {
    const opt = new BayesOptimizer({
      domain: { kind: 'simplex', size: 4 },
      objectives: 3,
      seed: 2,
      initialDesign: 4,
      refPoint: [0, 0, 0],
      ...FAST,
      mcSamples: 32,
    });
    const f = (w: number[]) => [w[0]! + 0.3 * w[3]!, w[1]! + 0.3 * w[3]!, w[2]! + 0.3 * w[3]!];
    const seen = run(opt, 6, f);
    assert.deepEqual(
      seen.map((s) => s.source),
      ['initial', 'initial', 'initial', 'initial', 'bo', 'bo'],
    );
    for (const s of seen) assert.ok(Math.abs(s.point.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    seen.forEach((s, i) => {
      for (const t of seen.slice(0, i)) {
        const gap = Math.max(...s.point.map((w, k) => Math.abs(w - t.point[k]!)));
        assert.ok(gap > 1e-3, `suggestions ${i} repeats an earlier one (gap ${gap})`);
      }
    });
    assert.ok(opt.hypervolume() > 0);
  });
});
