/** Result shapes of the GP posteriors (./exact-gp, ./fit). */

/** Marginal posterior at m points. */
export interface Posterior {
  /** (m,) posterior means. */
  mean: number[];
  /** (m,) latent posterior variances, ≥ MIN_VARIANCE (1e-12). */
  variance: number[];
}

/** Posterior at one point with its gradients in x. */
export interface PosteriorWithGrad {
  mean: number;
  variance: number;
  /** (d,) ∂mean/∂x. */
  meanGrad: number[];
  /** (d,) ∂variance/∂x (zero where the variance is clamped). */
  varianceGrad: number[];
}

/** Joint posterior at m points, optionally with gradients. */
export interface JointPosterior {
  /** (m,) means. */
  mean: number[];
  /** (m, m) latent covariance; diagonal clamped at MIN_VARIANCE (1e-12). */
  covariance: number[][];
}

/** {@link JointPosterior} with gradients in the query points. */
export interface JointPosteriorWithGrad extends JointPosterior {
  /** (m, d): meanGrad[i][k] = ∂mean_i/∂x_ik (mean_i depends on x_i only). */
  meanGrad: number[][];
  /**
   * (m, m, d): for i ≠ j, covarianceGrad[i][j][k] = ∂Cov_ij/∂x_ik with x_j held fixed;
   * for i = j it is the total derivative ∂Var_i/∂x_ik. Hence, for a scalar f of the
   * covariance, df/dx_ik = Σ_{j≠i} (∂f/∂Cov_ij + ∂f/∂Cov_ji)·covarianceGrad[i][j][k]
   *                        + ∂f/∂Cov_ii · covarianceGrad[i][i][k].
   */
  covarianceGrad: number[][][];
}

/**
 * Read-only view of an exact GP's posterior factors, for acquisitions that need more than the
 * marginal or joint posterior (qLogNEHVI conditions a candidate on a baseline set). With X the
 * training inputs and K = k(X, X) + σ²I, the posterior covariance of two sets A, B is
 * k(A, B) − k(A, X) K⁻¹ k(X, B): every piece of it is here, with the x-gradients of the kernel.
 * Matrices are row-major Float64Arrays.
 */
export interface PosteriorFactors {
  /** Number of training points n. */
  readonly n: number;
  /** Input dimension d. */
  readonly d: number;
  /** (|A|, |B|) prior covariance k(A, B). */
  priorCovariance(A: number[][], B: number[][]): Float64Array;
  /** (|A|, d) ∂k(a_i, x)/∂x for each row a_i of A. */
  priorCovarianceGrad(A: number[][], x: number[]): Float64Array;
  /** (n, m) cross-covariance k(X, Xs) with the training inputs. */
  crossCovariance(Xs: number[][]): Float64Array;
  /** (n, d) ∂k(X_l, x)/∂x, the input gradient of the cross-covariance at one point. */
  crossCovarianceGrad(x: number[]): Float64Array;
  /** K⁻¹ B for an (n, cols) matrix B. */
  solve(B: Float64Array, cols: number): Float64Array;
}
