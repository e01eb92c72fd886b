/**
 * Exact Gaussian-process regression with a constant mean and Gaussian noise.
 *
 * Notation (n training points, d dimensions, m query points):
 *   X        (n, d)  training inputs;  y (n,) training targets
 *   c                constant prior mean;  s outputscale;  σ² noise variance;  ℓ (d,) lengthscales
 *   K        (n, n)  k(X, X) + σ² I (+ jitter), factorized as K = L Lᵀ
 *   α        (n,)    K⁻¹ (y − c)
 *   k_x      (n,)    k(X, x) for a query x
 * Posterior of the latent f (no noise):  mean(x) = c + k_xᵀ α,  var(x) = s − k_xᵀ K⁻¹ k_x.
 *
 * No input or output transform happens here: callers normalize X and standardize y
 * (see ./fit). Variances are clamped at {@link MIN_VARIANCE}.
 * Kernel matrices on the lengthscale-scaled inputs come from ./scaled-covariance.
 */
import {
  choleskyWithJitter,
  logDetFromCholesky,
  solveLowerMatrix,
  solveUpperTransposedMatrix,
} from '../linalg';
import { type KernelKind, type KernelParams, kernelProfile } from './kernels';
import { logMarginalLikelihoodGradient } from './marginal-likelihood';
import type {
  JointPosterior,
  JointPosteriorWithGrad,
  Posterior,
  PosteriorFactors,
  PosteriorWithGrad,
} from './posterior-types';
import {
  scaledCovariance,
  scaledCovarianceGrad,
  scaledKernelGradA,
  scaledSqDist,
  scaleRows,
} from './scaled-covariance';

export type {
  JointPosterior,
  JointPosteriorWithGrad,
  Posterior,
  PosteriorFactors,
  PosteriorWithGrad,
};

/** Floor of the posterior variance (as in the issue; avoids σ = 0 in acquisitions). */
export const MIN_VARIANCE = 1e-12;

/** Hyperparameters of {@link ExactGP}. */
export interface GPHyperparameters {
  /** (d,) positive ARD lengthscales. */
  lengthscales: number[];
  /** Positive prior variance s of the latent function. */
  outputscale: number;
  /** Positive observation-noise variance σ². */
  noise: number;
  /** Constant prior mean c. */
  mean: number;
  /** Kernel family; Matérn-5/2 by default. */
  kernel?: KernelKind;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Exact GP posterior given fixed hyperparameters (see the notation above). */
export class ExactGP implements PosteriorFactors {
  readonly n: number;
  readonly d: number;
  readonly kernel: KernelKind;
  readonly hyperparameters: Readonly<GPHyperparameters>;
  /** Absolute jitter the Cholesky factorization had to add to K's diagonal (usually 0). */
  readonly jitter: number;
  /** @internal (n, d) training inputs divided by ℓ (for ./marginal-likelihood; others use the PosteriorFactors methods). */
  readonly Xscaled: Float64Array;
  /** @internal (n, n) lower Cholesky factor of K (see `solve`). */
  readonly L: Float64Array;
  /** @internal (n,) K⁻¹ (y − c). */
  readonly alpha: Float64Array;
  /** @internal (n,) y − c. */
  readonly residual: Float64Array;
  /** The kernel's kind, lengthscales and outputscale, for ./scaled-covariance. */
  private readonly kernelParams: KernelParams;

  /**
   * @param X - (n, d) training inputs (usually in [0,1]^d).
   * @param y - (n,) training targets.
   * @throws Error on shape mismatch, non-finite data or non-positive hyperparameters.
   */
  constructor(X: number[][], y: number[], hp: GPHyperparameters) {
    const n = X.length;
    const d = hp.lengthscales.length;
    if (y.length !== n) throw new Error(`ExactGP: X has ${n} rows but y has ${y.length} entries`);
    for (const [name, v] of [
      ['outputscale', hp.outputscale],
      ['noise', hp.noise],
      ...hp.lengthscales.map((l, k) => [`lengthscales[${k}]`, l] as const),
    ] as const) {
      if (!(v > 0 && Number.isFinite(v)))
        throw new Error(`ExactGP: ${name} must be positive and finite, got ${v}`);
    }
    if (!Number.isFinite(hp.mean)) throw new Error(`ExactGP: mean must be finite, got ${hp.mean}`);
    y.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new Error(`ExactGP: y[${i}] is not finite (${v})`);
    });
    this.n = n;
    this.d = d;
    this.kernel = hp.kernel ?? 'matern52';
    this.hyperparameters = { ...hp, lengthscales: [...hp.lengthscales], kernel: this.kernel };
    this.kernelParams = {
      kind: this.kernel,
      lengthscales: this.hyperparameters.lengthscales,
      outputscale: hp.outputscale,
    };
    this.Xscaled = scaleRows(X, hp.lengthscales, 'X');
    const s = hp.outputscale;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const kij =
          s * kernelProfile(this.kernel, scaledSqDist(this.Xscaled, i, this.Xscaled, j, d));
        K[i * n + j] = kij;
        K[j * n + i] = kij;
      }
      K[i * n + i] = s + hp.noise;
    }
    const { L, jitter } = choleskyWithJitter(K, n);
    this.L = L;
    this.jitter = jitter;
    this.residual = Float64Array.from(y, (v) => v - hp.mean);
    this.alpha = solveUpperTransposedMatrix(L, n, solveLowerMatrix(L, n, this.residual, 1), 1);
  }

  /**
   * Marginal posterior of the latent function (no observation noise).
   * @param Xs - (m, d) query points.
   */
  posterior(Xs: number[][]): Posterior {
    const m = Xs.length;
    const Kc = this.crossCovariance(Xs);
    const V = solveLowerMatrix(this.L, this.n, Kc, m);
    const mean: number[] = new Array(m);
    const variance: number[] = new Array(m);
    for (let j = 0; j < m; j++) {
      let mu = this.hyperparameters.mean;
      let explained = 0;
      for (let l = 0; l < this.n; l++) {
        mu += Kc[l * m + j] * this.alpha[l];
        explained += V[l * m + j] ** 2;
      }
      mean[j] = mu;
      variance[j] = Math.max(this.hyperparameters.outputscale - explained, MIN_VARIANCE);
    }
    return { mean, variance };
  }

  /**
   * Joint posterior over a batch; with `withGrad`, also the gradients in the batch points.
   * @param Xs - (m, d) query points.
   */
  posteriorJoint(Xs: number[][]): JointPosterior;
  posteriorJoint(Xs: number[][], withGrad: true): JointPosteriorWithGrad;
  posteriorJoint(Xs: number[][], withGrad = false): JointPosterior | JointPosteriorWithGrad {
    const { n, d } = this;
    const m = Xs.length;
    const s = this.hyperparameters.outputscale;
    const ell = this.hyperparameters.lengthscales;
    const Qs = scaleRows(Xs, ell, 'Xs');
    const Kc = scaledCovariance(this.kernelParams, this.Xscaled, n, Qs);
    const V = solveLowerMatrix(this.L, n, Kc, m);
    const mean: number[] = new Array(m).fill(this.hyperparameters.mean);
    const covariance: number[][] = Array.from({ length: m }, () => new Array(m));
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < n; l++) mean[i] += Kc[l * m + i] * this.alpha[l];
      for (let j = 0; j <= i; j++) {
        let c = i === j ? s : s * kernelProfile(this.kernel, scaledSqDist(Qs, i, Qs, j, d));
        for (let l = 0; l < n; l++) c -= V[l * m + i] * V[l * m + j];
        if (i === j) c = Math.max(c, MIN_VARIANCE);
        covariance[i][j] = c;
        covariance[j][i] = c;
      }
    }
    if (!withGrad) return { mean, covariance };
    // W = K⁻¹ k(X, Xs): ∂Cov_ij/∂x_i = ∂k(x_i, x_j)/∂x_i − (∂k_{x_i}/∂x_i)ᵀ W_{:,j}.
    const W = solveUpperTransposedMatrix(this.L, n, V, m);
    const meanGrad: number[][] = [];
    const covarianceGrad: number[][][] = [];
    const dk = new Float64Array(d);
    for (let i = 0; i < m; i++) {
      const gMean: number[] = new Array(d).fill(0);
      const gCov: number[][] = Array.from({ length: m }, () => new Array(d).fill(0));
      for (let l = 0; l < n; l++) {
        scaledKernelGradA(this.kernelParams, Qs, i, this.Xscaled, l, dk);
        for (let k = 0; k < d; k++) {
          gMean[k] += dk[k] * this.alpha[l];
          for (let j = 0; j < m; j++) gCov[j][k] -= dk[k] * W[l * m + j];
        }
      }
      for (let j = 0; j < m; j++) {
        if (j === i) continue;
        scaledKernelGradA(this.kernelParams, Qs, i, Qs, j, dk);
        for (let k = 0; k < d; k++) gCov[j][k] += dk[k];
      }
      // Var_i = s − k_iᵀ K⁻¹ k_i depends on x_i twice: its total derivative doubles the one-sided one.
      const clamped = covariance[i][i] <= MIN_VARIANCE;
      for (let k = 0; k < d; k++) gCov[i][k] = clamped ? 0 : 2 * gCov[i][k];
      meanGrad.push(gMean);
      covarianceGrad.push(gCov);
    }
    return { mean, covariance, meanGrad, covarianceGrad };
  }

  /**
   * Posterior mean and variance at one point with their gradients in x.
   * @param x - (d,) query point.
   */
  posteriorWithGrad(x: number[]): PosteriorWithGrad {
    const j = this.posteriorJoint([x], true);
    return {
      mean: j.mean[0],
      variance: j.covariance[0][0],
      meanGrad: j.meanGrad[0],
      varianceGrad: j.covarianceGrad[0][0],
    };
  }

  /** log N(y | c, K) = −½ (y−c)ᵀ K⁻¹ (y−c) − ½ log det K − (n/2) log 2π. */
  logMarginalLikelihood(): number {
    let quad = 0;
    for (let i = 0; i < this.n; i++) quad += this.residual[i] * this.alpha[i];
    return -0.5 * quad - 0.5 * logDetFromCholesky(this.L, this.n) - 0.5 * this.n * LOG_2PI;
  }

  /**
   * Gradient of {@link logMarginalLikelihood} in the unconstrained parameters
   * θ = [log ℓ_1 … log ℓ_d, log s, log σ², c].
   * @returns (d + 3,) array.
   */
  logMarginalLikelihoodGrad(): number[] {
    return logMarginalLikelihoodGradient(this);
  }

  /** (n, m) row-major k(X, Xs). */
  crossCovariance(Xs: number[][]): Float64Array {
    return scaledCovariance(
      this.kernelParams,
      this.Xscaled,
      this.n,
      scaleRows(Xs, this.lengthscales, 'Xs'),
    );
  }

  /** (n, d) row-major ∂k(X_l, x)/∂x. */
  crossCovarianceGrad(x: number[]): Float64Array {
    return scaledCovarianceGrad(this.kernelParams, this.Xscaled, this.n, x);
  }

  /** (|A|, |B|) row-major prior covariance k(A, B). */
  priorCovariance(A: number[][], B: number[][]): Float64Array {
    return scaledCovariance(
      this.kernelParams,
      scaleRows(A, this.lengthscales, 'A'),
      A.length,
      scaleRows(B, this.lengthscales, 'B'),
    );
  }

  /** (|A|, d) row-major ∂k(a_i, x)/∂x. */
  priorCovarianceGrad(A: number[][], x: number[]): Float64Array {
    return scaledCovarianceGrad(
      this.kernelParams,
      scaleRows(A, this.lengthscales, 'A'),
      A.length,
      x,
    );
  }

  /** K⁻¹ B for an (n, cols) row-major B, by two triangular solves with the Cholesky factor. */
  solve(B: Float64Array, cols: number): Float64Array {
    if (B.length !== this.n * cols)
      throw new Error(`ExactGP.solve: B has ${B.length} entries, expected ${this.n}×${cols}`);
    return solveUpperTransposedMatrix(
      this.L,
      this.n,
      solveLowerMatrix(this.L, this.n, B, cols),
      cols,
    );
  }

  private get lengthscales(): number[] {
    return this.hyperparameters.lengthscales;
  }
}
