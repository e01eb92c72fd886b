/**
 * Multi-objective BO quality and cost (`npm run bench -- bo-multi`).
 *
 * - BraninCurrin (BoTorch's definition, both minimized, ref [18, 6]), noiseless, 6 Sobol + 80
 *   sequential BO evaluations (EHVI); target median HV ≥ 57 and every seed ≥ 50.
 * - ZDT1 (d = 6, ref [11, 11]), 14 + 60 evaluations; target median HV ≥ 0.98 × 120.667.
 * Each over SEEDS seeds beside a scrambled-Sobol baseline with the same number of evaluations.
 * - Cost of one BO step (GP fits + acquisition optimization) at n = 50, d = 15, two objectives
 *   (target median < 250 ms), and its growth with n; qLogNEHVI steps for comparison.
 * Objectives are negated for the optimizer (it maximizes); hypervolumes are reported in the
 * minimization convention of the benchmark definitions.
 */
import { hypervolume } from '../src/bo/hypervolume';
import { BayesOptimizer, type OptimizerOptions } from '../src/bo/optimizer';
import { Random } from '../src/bo/random';
import { sobol } from '../src/bo/sobol';

const SEEDS = Number(process.env.BO_BENCH_SEEDS ?? 10);

export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

/** BoTorch BraninCurrin on [0,1]², both objectives minimized. */
export function braninCurrin(x: number[]): number[] {
  const [a, b] = x as [number, number];
  const f1 = branin(15 * a - 5, 15 * b);
  const f2 =
    ((1 - Math.exp(-1 / (2 * b))) * (2300 * a ** 3 + 1900 * a ** 2 + 2092 * a + 60)) /
    (100 * a ** 3 + 500 * a ** 2 + 4 * a + 20);
  return [f1, f2];
}

/** ZDT1 on [0,1]^d, both minimized. */
function zdt1(x: number[]): number[] {
  const g = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / (x.length - 1);
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

interface Problem {
  name: string;
  d: number;
  f: (x: number[]) => number[];
  ref: number[];
  initial: number;
  evaluations: number;
  target: string;
}

export function unitBox(d: number): OptimizerOptions['domain'] {
  return {
    kind: 'box',
    params: Array.from({ length: d }, (_, k) => ({
      name: `x${k}`,
      type: 'float' as const,
      low: 0,
      high: 1,
    })),
  };
}

/** Hypervolume of minimized objective rows against a minimization reference point. */
export function hvMin(F: number[][], ref: number[]): number {
  return hypervolume(
    F.map((y) => y.map((v) => -v)),
    ref.map((v) => -v),
  );
}

function runBO(p: Problem, seed: number): number {
  const opt = new BayesOptimizer({
    domain: unitBox(p.d),
    objectives: 2,
    seed,
    initialDesign: p.initial,
    refPoint: p.ref.map((v) => -v),
  });
  const F: number[][] = [];
  for (let i = 0; i < p.initial + p.evaluations; i++) {
    const [s] = opt.suggest();
    const fx = p.f(s!.point);
    F.push(fx);
    opt.observe(
      s!.x,
      fx.map((v) => -v),
    );
  }
  return hvMin(F, p.ref);
}

function runSobol(p: Problem, seed: number): number {
  const X = sobol(p.initial + p.evaluations, p.d, { scramble: true, seed: seed + 100003 });
  return hvMin(X.map(p.f), p.ref);
}

function quantile(v: number[], q: number): number {
  const s = v.slice().sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

export function summary(v: number[], f = (x: number) => x.toFixed(2)): string {
  return `${f(quantile(v, 0.5))} (min ${f(Math.min(...v))}, IQR ${f(quantile(v, 0.25))}–${f(quantile(v, 0.75))}, max ${f(Math.max(...v))})`;
}

/** Median wall time of one `suggest()` after n observations of a smooth 2-objective function. */
function stepCost(
  n: number,
  d: number,
  acquisition: 'ehvi' | 'qlognehvi',
  repeats: number,
): number[] {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const rng = new Random(1000 + r);
    const obs = Array.from({ length: n }, () => {
      const x = Array.from({ length: d }, () => rng.uniform());
      const s1 = x.reduce((s, v, k) => s + Math.sin(3 * v + k), 0);
      const s2 = x.reduce((s, v, k) => s + Math.cos(2 * v - k) * (k % 2 ? 1 : -1), 0);
      return { x, y: [s1, s2] };
    });
    const opt = BayesOptimizer.fromObservations(
      { domain: unitBox(d), objectives: 2, seed: r, initialDesign: 5, acquisition },
      obs,
    );
    const t0 = performance.now();
    opt.suggest();
    times.push(performance.now() - t0);
  }
  return times;
}

export async function run(): Promise<void> {
  const problems: Problem[] = [
    {
      name: 'BraninCurrin',
      d: 2,
      f: braninCurrin,
      ref: [18, 6],
      initial: 6,
      evaluations: 80,
      target: 'median ≥ 57, min ≥ 50 (max ≈ 59.40)',
    },
    {
      name: 'ZDT1 (d = 6)',
      d: 6,
      f: zdt1,
      ref: [11, 11],
      initial: 14,
      evaluations: 60,
      target: `median ≥ ${(0.98 * (120 + 2 / 3)).toFixed(2)} (max 120.67)`,
    },
  ];
  console.log(`Hypervolume over ${SEEDS} seeds, median (min, IQR, max):\n`);
  console.log(
    '| problem | evaluations | BO (EHVI) | Sobol | BO/Sobol median | target | wall time BO |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const p of problems) {
    const bo: number[] = [];
    const base: number[] = [];
    const t0 = performance.now();
    for (let seed = 0; seed < SEEDS; seed++) bo.push(runBO(p, seed));
    const seconds = (performance.now() - t0) / 1000;
    for (let seed = 0; seed < SEEDS; seed++) base.push(runSobol(p, seed));
    console.log(
      `| ${p.name} | ${p.initial} + ${p.evaluations} | ${summary(bo)} | ${summary(base)} | ${(quantile(bo, 0.5) / quantile(base, 0.5)).toFixed(2)} | ${p.target} | ${seconds.toFixed(0)} s |`,
    );
  }

  console.log(
    '\nCost of one BO step (2 GP fits + acquisition optimization, 512 raw samples, 10 restarts):\n',
  );
  console.log('| n | d | acquisition | median ms | min–max ms |');
  console.log('| --- | --- | --- | --- | --- |');
  const configs: [number, number, 'ehvi' | 'qlognehvi', number][] = [
    [25, 15, 'ehvi', 5],
    [50, 15, 'ehvi', 7],
    [100, 15, 'ehvi', 5],
    [200, 15, 'ehvi', 3],
    [50, 15, 'qlognehvi', 3],
  ];
  for (const [n, d, acq, repeats] of configs) {
    const t = stepCost(n, d, acq, repeats);
    console.log(
      `| ${n} | ${d} | ${acq} | ${quantile(t, 0.5).toFixed(0)} | ${Math.min(...t).toFixed(0)}–${Math.max(...t).toFixed(0)} |`,
    );
  }
}
