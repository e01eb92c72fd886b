/**
 * Multi-start maximization of an acquisition function over a box (BoTorch's `optimize_acqf`
 * recipe, issue item 6):
 *  1. evaluate the acquisition on `rawSamples` scrambled Sobol points (or caller-given points);
 *  2. pick `restarts` starts by Boltzmann sampling, weights ∝ exp(η·standardized value), always
 *     including the best raw point and the incumbent(s), so the search is greedy but diverse;
 *  3. run projected L-BFGS-B from each start;
 *  4. return the best end point that does not duplicate an already evaluated point, falling back
 *     to the next best end point, then to the best non-duplicate raw point.
 */
import { Random } from '../random';
import { sobol } from '../sobol';
import { maximizeLbfgsb, type Objective } from './lbfgsb';

export interface OptimizeAcquisitionOptions {
  /** Number of raw Sobol samples (default 512). */
  rawSamples?: number;
  /** Number of L-BFGS-B starts (default 10). */
  restarts?: number;
  /** Seed of the Sobol scramble and the Boltzmann draw (default 0). */
  seed?: number;
  /** Points that are always used as starts (e.g. the best observed x), each (d,). */
  incumbents?: number[][];
  /** Already evaluated points; a candidate within `duplicateTol` (∞-norm) of one is rejected. */
  avoid?: number[][];
  /** Box bounds (default the unit cube). */
  bounds?: { lower: number[]; upper: number[] };
  /** Raw candidates to use instead of Sobol points, each (d,) inside the bounds. */
  rawPoints?: number[][];
  /** ∞-norm distance under which two points count as the same (default 1e-6 · box width). */
  duplicateTol?: number;
  /**
   * Whether a candidate duplicates a taken point, replacing `avoid`/`duplicateTol` when the
   * notion of "same" is not a box distance (e.g. fusion weights reached through a map).
   */
  isDuplicate?: (x: number[]) => boolean;
  /** L-BFGS-B iteration limit per start (default 100). */
  maxIterations?: number;
  /** Boltzmann temperature η (default 1). */
  eta?: number;
  /**
   * Values at many points at once, for the raw samples (default: `valueAndGrad` point by point).
   * A batched posterior is much cheaper than one gradient per raw point.
   */
  batchValue?: (X: number[][]) => number[];
}

export interface OptimizeAcquisitionResult {
  /** (d,) the maximizer. */
  x: number[];
  /** Acquisition value at x. */
  value: number;
  /** True if every candidate duplicated an evaluated point (x is then the best one anyway). */
  duplicate: boolean;
}

/**
 * Maximizes `valueAndGrad` over a box.
 * @param valueAndGrad - acquisition: x (d,) → value and (d,) gradient; maximized.
 * @param d - dimension.
 */
export function optimizeAcquisition(
  valueAndGrad: Objective,
  d: number,
  opts: OptimizeAcquisitionOptions = {},
): OptimizeAcquisitionResult {
  const lower = opts.bounds?.lower ?? new Array(d).fill(0);
  const upper = opts.bounds?.upper ?? new Array(d).fill(1);
  if (lower.length !== d || upper.length !== d)
    throw new Error(`optimizeAcquisition: bounds must have length ${d}`);
  const seed = opts.seed ?? 0;
  const raw =
    opts.rawPoints ??
    sobol(opts.rawSamples ?? 512, d, { scramble: true, seed }).map((u) =>
      u.map((ui, k) => lower[k] + ui * (upper[k] - lower[k])),
    );
  const width = Math.max(...upper.map((u, k) => u - lower[k]));
  const tol = opts.duplicateTol ?? 1e-6 * (Number.isFinite(width) && width > 0 ? width : 1);
  const avoid = opts.avoid ?? [];
  const isDuplicate =
    opts.isDuplicate ??
    ((x: number[]) => avoid.some((a) => a.every((ak, k) => Math.abs(ak - x[k]) <= tol)));

  const rawValues = opts.batchValue ? opts.batchValue(raw) : raw.map((x) => valueAndGrad(x).value);
  const starts = chooseStarts(
    raw,
    rawValues,
    opts.restarts ?? 10,
    opts.eta ?? 1,
    new Random(seed + 7919),
  );
  for (const inc of opts.incumbents ?? []) {
    if (inc.length !== d)
      throw new Error(
        `optimizeAcquisition: incumbent has ${inc.length} coordinates, expected ${d}`,
      );
    starts.push(inc.map((v, k) => Math.min(upper[k], Math.max(lower[k], v))));
  }

  const candidates: { x: number[]; value: number }[] = [];
  for (const x0 of starts) {
    const r = maximizeLbfgsb(valueAndGrad, x0, {
      lower,
      upper,
      maxIterations: opts.maxIterations ?? 100,
    });
    if (Number.isFinite(r.value)) candidates.push({ x: r.x, value: r.value });
  }
  // Raw points are the fallback when every optimized candidate duplicates an evaluated point.
  raw.forEach((x, i) => {
    if (Number.isFinite(rawValues[i])) candidates.push({ x, value: rawValues[i] });
  });
  if (candidates.length === 0)
    throw new Error('optimizeAcquisition: the acquisition is not finite at any candidate');
  const optimizedCount = candidates.length - raw.length;
  const optimized = candidates
    .slice(0, Math.max(optimizedCount, 0))
    .sort((a, b) => b.value - a.value);
  const rawSorted = candidates.slice(Math.max(optimizedCount, 0)).sort((a, b) => b.value - a.value);
  for (const c of [...optimized, ...rawSorted]) {
    if (!isDuplicate(c.x)) return { ...c, duplicate: false };
  }
  const best = optimized[0] ?? rawSorted[0];
  return { ...best, duplicate: true };
}

/**
 * Boltzmann choice of `count` distinct raw points, weights ∝ exp(η·(v − mean)/std), always
 * including the best one (BoTorch's `initialize_q_batch`).
 * @returns (≤ count, d) starting points.
 */
function chooseStarts(
  raw: number[][],
  values: number[],
  count: number,
  eta: number,
  rng: Random,
): number[][] {
  const finite = values.map((v, i) => ({ v, i })).filter((e) => Number.isFinite(e.v));
  if (finite.length === 0 || count <= 0) return [];
  let best = finite[0];
  for (const e of finite) if (e.v > best.v) best = e;
  const mean = finite.reduce((s, e) => s + e.v, 0) / finite.length;
  const std = Math.sqrt(finite.reduce((s, e) => s + (e.v - mean) ** 2, 0) / finite.length);
  // With equal values (e.g. a flat acquisition), weights are uniform.
  const weights = finite.map((e) => (std > 0 ? Math.exp(eta * ((e.v - best.v) / std)) : 1));
  const chosen = [best.i];
  weights[finite.indexOf(best)] = 0;
  while (chosen.length < Math.min(count, finite.length)) {
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) break;
    // Roulette wheel: walk the cumulative weights until they pass a uniform draw.
    const u = rng.uniform() * total;
    let pick = 0;
    let cumulative = weights[0];
    while (pick < weights.length - 1 && cumulative < u) cumulative += weights[++pick];
    if (weights[pick] === 0) break;
    chosen.push(finite[pick].i);
    weights[pick] = 0;
  }
  return chosen.map((i) => [...raw[i]]);
}
