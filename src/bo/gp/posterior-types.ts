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
