/**
 * MAP fit of an {@link ExactGP} on unit-cube inputs with standardized outcomes.
 *
 * θ = [log ℓ_1 … log ℓ_d, log s, log σ², c] maximizes log N(y | c, K_θ) + log p(θ) (priors in
 * ./priors) by projected L-BFGS-B with the analytic gradient. Starts: with a previous fit, that fit
 * (warm start, as Optuna does: one more observation rarely moves the optimum far, and each start
 * costs O(n³) per iteration); without one, the prior modes (BoTorch's initialization). Either way
 * `restarts` random perturbations of the modes are added. The best optimum wins. If every start fails (non-finite likelihood), the prior modes are used.
 * The returned {@link FittedGP} reports the posterior in the ORIGINAL units of y.
 */
import { minimizeLbfgsb } from '../optim/lbfgsb';
import { Random } from '../random';
import {
  ExactGP,
  type GPHyperparameters,
  type JointPosterior,
  type JointPosteriorWithGrad,
  type Posterior,
  type PosteriorFactors,
  type PosteriorWithGrad,
} from './exact-gp';
import type { KernelKind } from './kernels';
import {
  FIT_BOUNDS,
  lengthscalePrior,
  logNormalLogDensity,
  logNormalMode,
  NOISE_PRIOR,
  OUTPUTSCALE_PRIOR,
} from './priors';
import { standardize } from './standardize';

export interface FitOptions {
  /** Kernel family (default Matérn-5/2). */
  kernel?: KernelKind;
  /** Lower bound of the noise variance in standardized units (default 1e-6). */
  noiseFloor?: number;
  /** Hyperparameters (standardized units) of a previous fit to start from. */
  warmStart?: GPHyperparameters;
  /** Random restarts besides the warm start or the prior modes (default 0 if warm, else 2). */
  restarts?: number;
  /** Seed of the restarts (default 0). */
  seed?: number;
  /** L-BFGS-B iteration limit per start (default 100). */
  maxIterations?: number;
}

/**
 * Fits a GP by MAP on inputs already normalized to [0,1]^d.
 * @param X01 - (n, d) inputs in the unit cube, n ≥ 1.
 * @param y - (n,) outcomes in their own units.
 */
export function fitGP(X01: number[][], y: number[], opts: FitOptions = {}): FittedGP {
  const n = X01.length;
  if (n === 0) throw new Error('fitGP: at least one observation is required');
  if (y.length !== n) throw new Error(`fitGP: X has ${n} rows but y has ${y.length} entries`);
  const d = X01[0].length;
  const kernel = opts.kernel ?? 'matern52';
  const noiseFloor = opts.noiseFloor ?? 1e-6;
  if (!(noiseFloor > 0 && noiseFloor < FIT_BOUNDS.noiseMax)) {
    throw new Error(`fitGP: noiseFloor must be in (0, ${FIT_BOUNDS.noiseMax}), got ${noiseFloor}`);
  }
  const { mean: yMean, std: yStd, values: ys } = standardize(y);
  const ellPrior = lengthscalePrior(d);

  const lower = [
    ...new Array(d).fill(Math.log(FIT_BOUNDS.lengthscale[0])),
    Math.log(FIT_BOUNDS.outputscale[0]),
    Math.log(noiseFloor),
    FIT_BOUNDS.mean[0],
  ];
  const upper = [
    ...new Array(d).fill(Math.log(FIT_BOUNDS.lengthscale[1])),
    Math.log(FIT_BOUNDS.outputscale[1]),
    Math.log(FIT_BOUNDS.noiseMax),
    FIT_BOUNDS.mean[1],
  ];
  const toHyper = (theta: number[]): GPHyperparameters => ({
    lengthscales: theta.slice(0, d).map(Math.exp),
    outputscale: Math.exp(theta[d]),
    noise: Math.exp(theta[d + 1]),
    mean: theta[d + 2],
    kernel,
  });
  const fromHyper = (hp: GPHyperparameters): number[] =>
    [...hp.lengthscales.map(Math.log), Math.log(hp.outputscale), Math.log(hp.noise), hp.mean].map(
      (v, i) => Math.min(upper[i], Math.max(lower[i], v)),
    );

  /** −(LML + log prior) and its gradient in θ; +∞ where K cannot be factorized. */
  const negLogPosterior = (theta: number[]) => {
    let gp: ExactGP;
    try {
      gp = new ExactGP(X01, ys, toHyper(theta));
    } catch {
      return { value: Number.POSITIVE_INFINITY, grad: new Array(d + 3).fill(0) };
    }
    let value = gp.logMarginalLikelihood();
    const grad = gp.logMarginalLikelihoodGrad();
    const addPrior = (i: number, prior: { mu: number; sigma: number }) => {
      const p = logNormalLogDensity(prior, theta[i]);
      value += p.value;
      grad[i] += p.dLog;
    };
    for (let k = 0; k < d; k++) addPrior(k, ellPrior);
    addPrior(d, OUTPUTSCALE_PRIOR);
    addPrior(d + 1, NOISE_PRIOR);
    return { value: -value, grad: grad.map((g) => -g) };
  };

  const modeTheta = fromHyper({
    lengthscales: new Array(d).fill(logNormalMode(ellPrior)),
    outputscale: 1,
    noise: Math.max(logNormalMode(NOISE_PRIOR), noiseFloor),
    mean: 0,
    kernel,
  });
  const starts: number[][] = [];
  if (opts.warmStart) {
    if (opts.warmStart.lengthscales.length !== d) {
      throw new Error(
        `fitGP: warmStart has ${opts.warmStart.lengthscales.length} lengthscales, expected ${d}`,
      );
    }
    starts.push(fromHyper(opts.warmStart));
  } else {
    starts.push(modeTheta);
  }
  const rng = new Random(opts.seed ?? 0);
  const restarts = opts.restarts ?? (opts.warmStart ? 0 : 2);
  for (let r = 0; r < restarts; r++) {
    // Perturb the modes by e^{N(0,1)} factors (the priors themselves are too wide to sample from).
    const t = modeTheta.map((v, i) =>
      i === d + 2 ? 0.5 * rng.normal() : v + (i === d ? 0.5 : 1) * rng.normal(),
    );
    starts.push(t.map((v, i) => Math.min(upper[i], Math.max(lower[i], v))));
  }

  let best: { theta: number[]; value: number } | null = null;
  for (const x0 of starts) {
    const r = minimizeLbfgsb(negLogPosterior, x0, {
      lower,
      upper,
      maxIterations: opts.maxIterations ?? 100,
      // scipy's L-BFGS-B defaults (ftol = 1e7·ε, pgtol = 1e-5): finer changes do not move the posterior.
      valueTol: 2.2e-9,
      gradTol: 1e-5,
    });
    if (Number.isFinite(r.value) && (!best || r.value < best.value))
      best = { theta: r.x, value: r.value };
  }
  const converged = best !== null;
  const hyperparameters = toHyper(best?.theta ?? modeTheta);
  const gp = new ExactGP(X01, ys, hyperparameters);
  return new FittedGP(gp, hyperparameters, yMean, yStd, best ? -best.value : Number.NaN, converged);
}

/** A fitted GP on standardized outcomes; every posterior it reports is in the ORIGINAL units of y. */
export class FittedGP {
  constructor(
    /** The GP on standardized outcomes. */
    readonly gp: ExactGP,
    /** Fitted hyperparameters in standardized units (pass as `warmStart` to the next fit). */
    readonly hyperparameters: GPHyperparameters,
    /** Standardization: y_std = (y − yMean)/yStd. */
    readonly yMean: number,
    readonly yStd: number,
    /** Log marginal likelihood + log prior at the optimum (standardized units). */
    readonly logPosterior: number,
    /** False if every start failed and the prior modes were used. */
    readonly converged: boolean,
  ) {}

  /**
   * The GP's posterior factors in the ORIGINAL units of y: covariances scaled by yStd², so the
   * solves are by (yStd² K)⁻¹ and k(A, B) − k(A, X)·solve(k(X, B)) is the posterior covariance.
   */
  get factors(): PosteriorFactors {
    const { gp } = this;
    const v2 = this.yStd * this.yStd;
    const scaled = (a: Float64Array, by: number) => a.map((v) => v * by);
    return {
      n: gp.n,
      d: gp.d,
      priorCovariance: (A, B) => scaled(gp.priorCovariance(A, B), v2),
      priorCovarianceGrad: (A, x) => scaled(gp.priorCovarianceGrad(A, x), v2),
      crossCovariance: (Xs) => scaled(gp.crossCovariance(Xs), v2),
      crossCovarianceGrad: (x) => scaled(gp.crossCovarianceGrad(x), v2),
      solve: (B, cols) => scaled(gp.solve(B, cols), 1 / v2),
    };
  }

  /** @param Xs - (m, d). @returns (m,) means and (m,) latent variances. */
  posterior(Xs: number[][]): Posterior {
    const p = this.gp.posterior(Xs);
    return {
      mean: p.mean.map((m) => this.yMean + this.yStd * m),
      variance: p.variance.map((v) => this.yStd ** 2 * v),
    };
  }

  /** @param x - (d,). @returns mean, variance and their (d,) gradients in x. */
  posteriorWithGrad(x: number[]): PosteriorWithGrad {
    const p = this.gp.posteriorWithGrad(x);
    const v2 = this.yStd ** 2;
    return {
      mean: this.yMean + this.yStd * p.mean,
      variance: v2 * p.variance,
      meanGrad: p.meanGrad.map((g) => this.yStd * g),
      varianceGrad: p.varianceGrad.map((g) => v2 * g),
    };
  }

  /** Joint posterior over a batch (conventions of {@link ExactGP.posteriorJoint}). */
  posteriorJoint(Xs: number[][]): JointPosterior;
  posteriorJoint(Xs: number[][], withGrad: true): JointPosteriorWithGrad;
  posteriorJoint(Xs: number[][], withGrad = false): JointPosterior | JointPosteriorWithGrad {
    const v2 = this.yStd ** 2;
    const p = withGrad ? this.gp.posteriorJoint(Xs, true) : this.gp.posteriorJoint(Xs);
    const scaled = {
      mean: p.mean.map((m) => this.yMean + this.yStd * m),
      covariance: p.covariance.map((row) => row.map((c) => v2 * c)),
    };
    if (!('meanGrad' in p)) return scaled;
    const g = p as JointPosteriorWithGrad;
    return {
      ...scaled,
      meanGrad: g.meanGrad.map((row) => row.map((v) => this.yStd * v)),
      covarianceGrad: g.covarianceGrad.map((a) => a.map((row) => row.map((v) => v2 * v))),
    };
  }
}
