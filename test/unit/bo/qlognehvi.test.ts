import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logEHVIObjective } from '../../../src/bo/acquisition/analytic';
import { qLogNEHVIObjective } from '../../../src/bo/acquisition/qlognehvi';
import { normalQuantile } from '../../../src/bo/acquisition/qmc-normal';
import { fatmin2, logFatplus } from '../../../src/bo/acquisition/smooth';
import { fitGP } from '../../../src/bo/gp/fit';
import { nonDominatedBoxes } from '../../../src/bo/hypervolume';
import { normalCdf } from '../../../src/bo/math';
import type { Objective } from '../../../src/bo/optim';
import { Random } from '../../../src/bo/random';

function problem(m: number, n: number, d: number, seed: number) {
  const rng = new Random(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform()));
  const f = (x: number[]) =>
    [
      Math.sin(3 * x[0]!) + x[1]!,
      Math.cos(2 * x[1]!) - x[2]! * x[0]!,
      x[2]! - 0.5 * x[0]! ** 2,
    ].slice(0, m);
  const Y = X.map(f);
  const models = Array.from({ length: m }, (_, j) =>
    fitGP(
      X,
      Y.map((y) => y[j]!),
      { noiseFloor: 1e-6 },
    ),
  );
  const ref = Array.from({ length: m }, (_, j) => Math.min(...Y.map((y) => y[j]!)) - 0.1);
  return { rng, X, Y, models, ref, d };
}

function checkGradient(acq: Objective, x: number[], label: string): void {
  const r = acq(x);
  const h = 1e-6;
  x.forEach((_, k) => {
    const up = x.slice();
    const down = x.slice();
    up[k]! += h;
    down[k]! -= h;
    const fd = (acq(up).value - acq(down).value) / (2 * h);
    assert.ok(
      Math.abs(fd - r.grad[k]!) <= 1e-5 * Math.max(1, Math.abs(fd)),
      `${label} ∂${k}: ${r.grad[k]} vs ${fd}`,
    );
  });
}

function ranks(v: number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Array<number>(v.length);
  order.forEach((i, k) => {
    r[i] = k;
  });
  return r;
}

describe('helpers of qLogNEHVI', () => {
  test('normal quantile inverts Φ to full precision, deep in the tails too', () => {
    for (const p of [1e-300, 1e-20, 1e-6, 0.01, 0.2, 0.5]) {
      assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) <= 1e-13 * p, `p=${p}`);
      if (p >= 1e-6) assert.ok(Math.abs(normalQuantile(1 - p) + normalQuantile(p)) < 1e-9);
    }
  });

  test('fatplus tends to ReLU and fatmin to min; derivatives match finite differences', () => {
    const tau = 1e-2;
    assert.ok(Math.abs(logFatplus(2, 1e-6).value - Math.log(2)) < 1e-9);
    assert.ok(Number.isFinite(logFatplus(-50, 1e-6).value));
    assert.ok(Math.abs(fatmin2(1, 3, tau).value - 1) < 1e-4);
    assert.ok(fatmin2(1, 1, tau).value <= 1 && fatmin2(1, 1, tau).value > 1 - tau);
    for (const x of [-3, -0.01, 0, 0.004, 2]) {
      const h = 1e-7;
      const fd = (logFatplus(x + h, tau).value - logFatplus(x - h, tau).value) / (2 * h);
      assert.ok(Math.abs(fd - logFatplus(x, tau).grad) < 1e-5 * Math.max(1, Math.abs(fd)));
      const m = fatmin2(x, 0.5, tau);
      const fda = (fatmin2(x + h, 0.5, tau).value - fatmin2(x - h, 0.5, tau).value) / (2 * h);
      assert.ok(Math.abs(fda - m.da) < 1e-5 && Math.abs(m.da + m.db - 1) < 1e-12);
    }
  });
});

describe('qLogNEHVIObjective', () => {
  test('q = 1, two objectives, noiseless front: ranks candidates like exact EHVI', () => {
    const { rng, Y, X, models, ref, d } = problem(2, 12, 3, 3);
    const q = qLogNEHVIObjective(models, X, ref, { mcSamples: 256, seed: 1 });
    const exact = logEHVIObjective(models, nonDominatedBoxes(Y, ref));
    const qs: number[] = [];
    const es: number[] = [];
    while (qs.length < 30) {
      const x = Array.from({ length: d }, () => rng.uniform());
      const e = exact(x).value;
      // Far tails: rare events for 256 QMC samples, and the heavy-tailed smoothing differs there.
      if (e < -5) continue;
      es.push(e);
      qs.push(q(x).value);
      if (e > -3) assert.ok(Math.abs(qs.at(-1)! - e) < 0.2, `log values ${qs.at(-1)} vs ${e}`);
    }
    const rq = ranks(qs);
    const re = ranks(es);
    const n = qs.length;
    const spearman = 1 - (6 * rq.reduce((s, r, i) => s + (r - re[i]!) ** 2, 0)) / (n * (n * n - 1));
    assert.ok(spearman > 0.95, `Spearman ${spearman}`);
    assert.equal(rq.indexOf(n - 1), re.indexOf(n - 1), 'same best candidate');
  });

  test('gradients agree with central finite differences (m = 2 and 3, with pending points)', () => {
    for (const m of [2, 3]) {
      const { rng, X, models, ref, d } = problem(m, 10, 3, 5 + m);
      const pending = [[0.5, 0.5, 0.5]];
      const q = qLogNEHVIObjective(models, [...X, ...pending], ref, { mcSamples: 64, seed: 2 });
      for (let i = 0; i < 4; i++) {
        checkGradient(
          q,
          Array.from({ length: d }, () => 0.05 + 0.9 * rng.uniform()),
          `m=${m}`,
        );
      }
    }
  });

  test('a pending point in the baseline removes the improvement at that point (sequential greedy)', () => {
    const { X, Y, models, ref } = problem(2, 12, 3, 3);
    const exact = logEHVIObjective(models, nonDominatedBoxes(Y, ref));
    // The most promising of a few probes.
    const probes = [
      [0.2, 0.9, 0.1],
      [0.5, 1, 0],
      [0.4, 0.8, 0.2],
      [0.1, 1, 0.3],
    ];
    const best = probes.reduce((a, b) => (exact(a).value > exact(b).value ? a : b));
    const without = qLogNEHVIObjective(models, X, ref, { seed: 4 })(best).value;
    const withPending = qLogNEHVIObjective(models, [...X, best], ref, { seed: 4 })(best).value;
    assert.ok(withPending < without - 5, `${withPending} vs ${without}`);
  });

  test('is deterministic for a seed', () => {
    const { X, models, ref } = problem(2, 8, 3, 9);
    const x = [0.3, 0.6, 0.2];
    const a = qLogNEHVIObjective(models, X, ref, { seed: 11 })(x);
    const b = qLogNEHVIObjective(models, X, ref, { seed: 11 })(x);
    assert.deepEqual(a, b);
  });
});
