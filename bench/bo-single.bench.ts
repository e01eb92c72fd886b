/**
 * Single-objective BO benchmark (issue 3): GP + LogEI on Branin (5 Sobol + 30 evaluations) and
 * Hartmann6 (12 Sobol + 80), each over 10 seeds beside a scrambled-Sobol baseline with the same
 * number of evaluations in the same run; and the wall time of one BO step (MAP fit warm-started
 * from the previous fit + acquisition optimization) at d = 6 for n = 25, 50, 100, 200.
 * The loop is deliberately minimal (the product's ask/tell optimizer lives in src/bo/optimizer.ts).
 */

import * as os from 'node:os';
import { logEIObjective } from '../src/bo/acquisition/analytic';
import { logEI } from '../src/bo/acquisition/logei';
import { type FittedGP, fitGP, type GPHyperparameters } from '../src/bo/gp';
import { optimizeAcquisition } from '../src/bo/optim';
import { sobol } from '../src/bo/sobol';

const SEEDS = 10;

interface Problem {
  name: string;
  d: number;
  /** Objective to MINIMIZE, on the unit cube. */
  f: (u: number[]) => number;
  optimum: number;
  nInit: number;
  nIter: number;
  rawSamples: number;
  restarts: number;
}

const branin: Problem = {
  name: 'Branin',
  d: 2,
  f: (u) => {
    const x1 = -5 + 15 * u[0];
    const x2 = 15 * u[1];
    const b = 5.1 / (4 * Math.PI ** 2);
    return (
      (x2 - b * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 +
      10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) +
      10
    );
  },
  optimum: 5 / (4 * Math.PI),
  nInit: 5,
  nIter: 30,
  rawSamples: 512,
  restarts: 10,
};

const H_ALPHA = [1, 1.2, 3, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

const hartmann6: Problem = {
  name: 'Hartmann6',
  d: 6,
  f: (u) =>
    -H_ALPHA.reduce(
      (s, a, i) =>
        s + a * Math.exp(-H_A[i].reduce((t, aij, j) => t + aij * (u[j] - H_P[i][j]) ** 2, 0)),
      0,
    ),
  optimum: -3.322368011415514,
  nInit: 12,
  nIter: 80,
  rawSamples: 512,
  restarts: 10,
};

/** One BO step on maximization data (X in the unit cube, y maximized); returns the next x and the fit. */
function boStep(
  X: number[][],
  y: number[],
  warm: GPHyperparameters | undefined,
  seed: number,
  rawSamples: number,
  restarts: number,
): { x: number[]; fit: FittedGP } {
  const fit = fitGP(X, y, { warmStart: warm, seed });
  let bestIndex = 0;
  y.forEach((v, i) => {
    if (v > y[bestIndex]) bestIndex = i;
  });
  const best = y[bestIndex];
  const { x } = optimizeAcquisition(logEIObjective(fit, best), X[0].length, {
    rawSamples,
    restarts,
    seed,
    incumbents: [X[bestIndex]],
    avoid: X,
    batchValue: (P) => {
      const post = fit.posterior(P);
      return post.mean.map((m, i) => logEI(m, Math.sqrt(post.variance[i]), best));
    },
  });
  return { x, fit };
}

function runBO(p: Problem, seed: number): number {
  const X = sobol(p.nInit, p.d, { scramble: true, seed });
  const y = X.map((x) => -p.f(x));
  let warm: GPHyperparameters | undefined;
  for (let t = 0; t < p.nIter; t++) {
    const { x, fit } = boStep(X, y, warm, seed * 1000 + t, p.rawSamples, p.restarts);
    warm = fit.hyperparameters;
    X.push(x);
    y.push(-p.f(x));
  }
  return -Math.max(...y) - p.optimum;
}

function runSobol(p: Problem, seed: number): number {
  const X = sobol(p.nInit + p.nIter, p.d, { scramble: true, seed: seed + 5000 });
  return Math.min(...X.map(p.f)) - p.optimum;
}

function quantile(v: number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

const fmt = (v: number) => (v < 1e-3 ? v.toExponential(2) : v.toFixed(4));
const summary = (v: number[]) =>
  `${fmt(quantile(v, 0.5))} | ${fmt(quantile(v, 0.25))} – ${fmt(quantile(v, 0.75))} | ${fmt(Math.max(...v))}`;

function regretTable(): void {
  console.log('| problem | method | evals | median regret | IQR | worst | target |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [p, target] of [
    [branin, 0.05],
    [hartmann6, 0.3],
  ] as const) {
    const t0 = performance.now();
    const bo = Array.from({ length: SEEDS }, (_, s) => runBO(p, s + 1));
    const seconds = (performance.now() - t0) / 1000;
    const base = Array.from({ length: SEEDS }, (_, s) => runSobol(p, s + 1));
    const evals = p.nInit + p.nIter;
    console.log(
      `| ${p.name} | GP + LogEI (${SEEDS} seeds, ${seconds.toFixed(0)} s) | ${p.nInit} + ${p.nIter} | ${summary(bo)} | median < ${target} |`,
    );
    console.log(`| ${p.name} | scrambled Sobol | ${evals} | ${summary(base)} | |`);
    const wins = bo.filter((r, s) => r < base[s]).length;
    console.log(`| ${p.name} | BO below Sobol (same seed) | | ${wins}/${SEEDS} seeds | | | |`);
  }
}

function stepCostTable(): void {
  const d = 6;
  const reps = 7;
  console.log(
    '\n| n (d = 6) | fit ms | acquisition ms | step wall ms (min – max) | step CPU ms (min – max) | CPU vs n = 25 |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  let base = 0;
  for (const n of [25, 50, 100, 200]) {
    const fitMs: number[] = [];
    const acqMs: number[] = [];
    const stepMs: number[] = [];
    const stepCpuMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      const X = sobol(n, d, { scramble: true, seed: 100 + r });
      const y = X.map((x) => -hartmann6.f(x));
      // Warm start from the fit on the first n − 1 points, as in a running loop.
      const warm = fitGP(X.slice(0, -1), y.slice(0, -1), { seed: r }).hyperparameters;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const fit = fitGP(X, y, { warmStart: warm, seed: r });
      const t1 = performance.now();
      const best = Math.max(...y);
      optimizeAcquisition(logEIObjective(fit, best), d, {
        seed: r,
        incumbents: [X[y.indexOf(best)]],
        avoid: X,
        batchValue: (P) => {
          const post = fit.posterior(P);
          return post.mean.map((m, i) => logEI(m, Math.sqrt(post.variance[i]), best));
        },
      });
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      stepCpuMs.push((cpu.user + cpu.system) / 1000);
      fitMs.push(t1 - t0);
      acqMs.push(t2 - t1);
      stepMs.push(t2 - t0);
    }
    const range = (v: number[]) =>
      `${quantile(v, 0.5).toFixed(0)} (${Math.min(...v).toFixed(0)} – ${Math.max(...v).toFixed(0)})`;
    const cpuMedian = quantile(stepCpuMs, 0.5);
    if (n === 25) base = cpuMedian;
    console.log(
      `| ${n} | ${quantile(fitMs, 0.5).toFixed(0)} | ${quantile(acqMs, 0.5).toFixed(0)} | ${range(stepMs)} | ${range(stepCpuMs)} | ${(cpuMedian / base).toFixed(1)}× |`,
    );
  }
  console.log(
    `\nMedians over ${reps} data sets (Hartmann6 at scrambled Sobol points). Step = MAP fit warm-started from the fit on n − 1 points + acquisition optimization (512 raw Sobol samples, 10 L-BFGS-B starts); target: median < 250 ms at n = 100. CPU time is the process's own; 1-min load average during the table: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores.`,
  );
}

export async function run(): Promise<void> {
  stepCostTable();
  console.log('');
  regretTable();
}
