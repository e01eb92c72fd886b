/**
 * qLogNEHVI: log noisy expected hypervolume improvement (Daulton, Balandat, Bakshy, NeurIPS 2021,
 * arXiv:2105.08195) with the log-space smoothing of Ament et al., NeurIPS 2023 (qLogNEHVI).
 *
 * Notation (per objective j, independent GPs; n training points, nb baseline points):
 *   X_b    (nb, d)  baseline = evaluated points ∪ pending points (sequential greedy: each chosen
 *                   point of a batch joins the baseline of the next one)
 *   μ_b, Σ_bb       joint posterior at X_b;  Σ_bb = L_b L_bᵀ
 *   ξ_t = (ξ_b, ξ_x) fixed QMC standard normals of sample t (qmc-normal.ts)
 *   f_t(X_b) = μ_b + L_b ξ_b              baseline sample (computed once per acquisition)
 *   f_t(x)   = μ_x + Σ_bxᵀ η_t + c·ξ_x    with η_t = L_b⁻ᵀ ξ_b, a = L_b⁻¹ Σ_bx, c² = σ²_x − |a|²,
 * so (f_t(X_b), f_t(x)) is an exact joint posterior sample (the Cholesky factor of the baseline
 * block is cached, BoTorch's `cache_root`). Each sample has its own Pareto front and box
 * decomposition of the non-dominated region (cells [l_k, u_k], built once), and
 *
 *   log NEHVI(x) ≈ logmeanexp_t logsumexp_k Σ_j fatmin(log fatplus_τr(f_tj(x) − l_kj), log(u_kj − l_kj))
 *
 * i.e. HVI_t = Σ_k Π_j min(f_tj − l_kj, u_kj − l_kj)_+ with ReLU and min smoothed (τ_relu = 1e-6,
 * τ_max = 1e-2, the values Ax passes). Gradient by the chain rule; with G_tj = ∂/∂f_tj:
 *   ∇ = Σ_j [ΣG·∇μ + (S/2c)·∇σ² + ∇Σ_bxᵀ(Σ_t G_tj η_t − (S/c)·L_b⁻ᵀ a)],  S = Σ_t G_tj ξ_x,tj,
 * and ∇Σ_bx(x) = ∇k(X_b, x) − (K⁻¹k(X, X_b))ᵀ ∇k(X, x), all read from the GP's public
 * posterior factors (gp/posterior-types.ts).
 */
import type { FittedGP } from '../gp/fit';
import type { PosteriorFactors } from '../gp/posterior-types';
import { nonDominatedBoxes } from '../hypervolume/box-decomposition';
import { choleskyWithJitter, solveLower, solveUpperTransposed } from '../linalg';
import { logSumExp } from '../math';
import type { Objective } from '../optim';
import { normalBaseSamples } from './qmc-normal';
import { fatmin2, logFatplus } from './smooth';

export interface QLogNEHVIOptions {
  /** Number of QMC samples (default 128, as BoTorch for multi-objective acquisitions). */
  mcSamples?: number;
  /** Seed of the scrambled Sobol base samples (default 0). */
  seed?: number;
  /** Temperature of the smoothed ReLU (default 1e-6). */
  tauRelu?: number;
  /** Temperature of the smoothed min (default 1e-2). */
  tauMax?: number;
}

/** Smallest conditional variance c² kept (below it the candidate is treated as known). */
const MIN_CONDITIONAL_VARIANCE = 1e-12;

/** Per-objective cached quantities (see the notation above). */
interface ObjectiveCache {
  model: FittedGP;
  /** The model's posterior factors (original units). */
  factors: PosteriorFactors;
  /** Number of baseline points nb. */
  nb: number;
  /** (nb, nb) Cholesky factor of Σ_bb. */
  Lb: Float64Array;
  /** (n, nb) row-major K⁻¹ k(X, X_b). */
  W: Float64Array;
  /** (nb, d) baseline points. */
  baseline: number[][];
  /** η_t for every sample, (N) × (nb). */
  eta: Float64Array[];
}

/** One cell [lower, upper] with the log of its finite widths (NaN for infinite upper bounds). */
interface Cell {
  lower: number[];
  logWidth: number[];
}

/**
 * qLogNEHVI of one candidate as an x → (value, gradient) objective.
 *
 * @param models - (m) fitted GPs, one per objective, all in the units of `ref`.
 * @param baseline - (nb, d) evaluated and pending points.
 * @param ref - (m) reference point.
 */
export function qLogNEHVIObjective(
  models: readonly FittedGP[],
  baseline: number[][],
  ref: readonly number[],
  opts: QLogNEHVIOptions = {},
): Objective {
  const m = models.length;
  if (ref.length !== m) throw new Error(`qLogNEHVI: ref has ${ref.length} entries for ${m} models`);
  const nb = baseline.length;
  const N = opts.mcSamples ?? 128;
  const tauRelu = opts.tauRelu ?? 1e-6;
  const tauMax = opts.tauMax ?? 1e-2;
  const xi = normalBaseSamples(N, m * (nb + 1), opts.seed ?? 0);

  const caches: ObjectiveCache[] = [];
  // samplesAtBaseline[t][i][j] = f_tj(X_b[i]).
  const samplesAtBaseline = Array.from({ length: N }, () =>
    Array.from({ length: nb }, () => new Array<number>(m)),
  );
  models.forEach((model, j) => {
    const { factors } = model;
    const post = model.posteriorJoint(baseline);
    const cov = new Float64Array(nb * nb);
    for (let i = 0; i < nb; i++)
      for (let k = 0; k < nb; k++) cov[i * nb + k] = post.covariance[i]![k]!;
    const { L: Lb } = choleskyWithJitter(cov, nb);
    const W = factors.solve(factors.crossCovariance(baseline), nb);
    const eta: Float64Array[] = [];
    for (let t = 0; t < N; t++) {
      const xb = xi[t]!.subarray(j * (nb + 1), j * (nb + 1) + nb);
      for (let i = 0; i < nb; i++) {
        let v = post.mean[i]!;
        for (let k = 0; k <= i; k++) v += Lb[i * nb + k]! * xb[k]!;
        samplesAtBaseline[t]![i]![j] = v;
      }
      eta.push(solveUpperTransposed(Lb, nb, xb));
    }
    caches.push({ model, factors, nb, Lb, W, baseline, eta });
  });
  const cellsPerSample: Cell[][] = samplesAtBaseline.map((rows) =>
    nonDominatedBoxes(rows, ref).map((box) => ({
      lower: box.lower,
      logWidth: box.upper.map((u, j) =>
        u === Infinity ? Number.NaN : Math.log(u - box.lower[j]!),
      ),
    })),
  );

  return (x: number[]) => {
    const d = x.length;
    const states = caches.map((cache) => candidateState(cache, x));
    // f[t][j] and the derivatives G[t][j] of the value in f.
    const f = Array.from({ length: N }, (_, t) =>
      states.map(
        (s, j) => s.mean + dot(s.covBx, caches[j]!.eta[t]!) + s.c * xi[t]![j * (nb + 1) + nb]!,
      ),
    );
    const perSample = f.map((ft, t) => logHVIWithGrad(ft, cellsPerSample[t]!, tauRelu, tauMax));
    const logValues = perSample.map((r) => r.value);
    const value = logSumExp(logValues) - Math.log(N);
    const grad = new Array<number>(d).fill(0);
    if (!Number.isFinite(value)) return { value, grad };
    const sampleWeights = logValues.map((v) => Math.exp(v - value) / N);
    states.forEach((s, j) => {
      const cache = caches[j]!;
      let sumG = 0;
      let sumGxi = 0;
      const w = new Float64Array(nb);
      for (let t = 0; t < N; t++) {
        const g = sampleWeights[t]! * perSample[t]!.grad[j]!;
        if (g === 0) continue;
        sumG += g;
        sumGxi += g * xi[t]![j * (nb + 1) + nb]!;
        const eta = cache.eta[t]!;
        for (let i = 0; i < nb; i++) w[i]! += g * eta[i]!;
      }
      const varianceFactor = s.clamped ? 0 : sumGxi / (2 * s.c);
      if (!s.clamped) {
        const back = solveUpperTransposed(cache.Lb, nb, s.a);
        for (let i = 0; i < nb; i++) w[i]! -= 2 * varianceFactor * back[i]!;
      }
      for (let k = 0; k < d; k++) {
        grad[k]! += sumG * s.meanGrad[k]! + varianceFactor * s.varianceGrad[k]!;
      }
      addCrossCovarianceGrad(cache, x, w, grad);
    });
    return { value, grad };
  };
}

/** Posterior pieces at the candidate for one objective. */
function candidateState(cache: ObjectiveCache, x: number[]) {
  const { factors, nb, W } = cache;
  const p = cache.model.posteriorWithGrad(x);
  const kX = factors.crossCovariance([x]);
  const covBx = factors.priorCovariance(cache.baseline, [x]);
  for (let i = 0; i < nb; i++) {
    for (let l = 0; l < factors.n; l++) covBx[i]! -= W[l * nb + i]! * kX[l]!;
  }
  const a = solveLower(cache.Lb, nb, covBx);
  const c2 = p.variance - dot(a, a);
  const clamped = c2 <= MIN_CONDITIONAL_VARIANCE;
  return {
    mean: p.mean,
    meanGrad: p.meanGrad,
    varianceGrad: p.varianceGrad,
    covBx,
    a,
    c: Math.sqrt(Math.max(c2, MIN_CONDITIONAL_VARIANCE)),
    clamped,
  };
}

/** grad += Σ_i w_i ∇k(b_i, x) − Σ_l (W w)_l ∇k(X_l, x), i.e. wᵀ∇Σ_bx. */
function addCrossCovarianceGrad(
  cache: ObjectiveCache,
  x: number[],
  w: Float64Array,
  grad: number[],
): void {
  const { factors, nb, W } = cache;
  const d = x.length;
  const gB = factors.priorCovarianceGrad(cache.baseline, x);
  for (let i = 0; i < nb; i++) {
    if (w[i] === 0) continue;
    for (let k = 0; k < d; k++) grad[k]! += w[i]! * gB[i * d + k]!;
  }
  const gX = factors.crossCovarianceGrad(x);
  for (let l = 0; l < factors.n; l++) {
    let Ww = 0;
    for (let i = 0; i < nb; i++) Ww += W[l * nb + i]! * w[i]!;
    if (Ww === 0) continue;
    for (let k = 0; k < d; k++) grad[k]! -= Ww * gX[l * d + k]!;
  }
}

/** Smoothed log HVI of one sample over its cells, with ∂/∂f_j. */
function logHVIWithGrad(
  f: number[],
  cells: readonly Cell[],
  tauRelu: number,
  tauMax: number,
): { value: number; grad: number[] } {
  const m = f.length;
  const logAreas = new Float64Array(cells.length);
  const sideGrads: number[][] = [];
  cells.forEach((cell, k) => {
    let total = 0;
    const g: number[] = [];
    for (let j = 0; j < m; j++) {
      const imp = logFatplus(f[j]! - cell.lower[j]!, tauRelu);
      const width = cell.logWidth[j]!;
      if (Number.isNaN(width)) {
        total += imp.value;
        g.push(imp.grad);
      } else {
        const side = fatmin2(imp.value, width, tauMax);
        total += side.value;
        g.push(side.da * imp.grad);
      }
    }
    logAreas[k] = total;
    sideGrads.push(g);
  });
  const value = logSumExp(logAreas);
  const grad = new Array<number>(m).fill(0);
  if (!Number.isFinite(value)) return { value, grad };
  for (let k = 0; k < cells.length; k++) {
    const weight = Math.exp(logAreas[k]! - value);
    for (let j = 0; j < m; j++) grad[j]! += weight * sideGrads[k]![j]!;
  }
  return { value, grad };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
