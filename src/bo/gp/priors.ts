/**
 * Hyperparameter priors of the MAP fit (./fit), in standardized-y units on inputs in [0,1]^d.
 *
 * Lengthscales: the dimension-scaled log-normal prior of Hvarfner, Hellsten & Nardi ("Vanilla
 * Bayesian optimization performs great in high dimensions", ICML 2024), BoTorch's default since
 * 0.12: ℓ_k ~ LogNormal(√2 + ½ ln d, √3), lower bound 0.025, initialized at the mode exp(μ − σ²)
 * (0.205 at d = 1, 0.502 at d = 6). Scaling the prior's location with √d keeps the expected
 * complexity of the function constant as d grows, which is why plain BO then works in high d.
 * Noise: LogNormal(−4, 1) (BoTorch's), initialized at its mode e^{−5}; our lower bound is a
 * configurable floor (1e-6 by default: fused-model evaluations are deterministic).
 * Outputscale: BoTorch ≥ 0.12 fixes it to 1 on standardized y; we keep it learnable (issue item 3)
 * under a weak LogNormal(0, 1) prior centred on that value.
 * Constant mean: no prior, only box bounds.
 *
 * Densities are those of the natural parameters (ℓ, s, σ²), so the MAP point equals BoTorch's even
 * though we optimize in log space; ∂/∂log θ of log p(θ) includes the −1 from the Jacobian.
 */

/** A log-normal prior LogNormal(mu, sigma) on a positive parameter. */
export interface LogNormalPrior {
  mu: number;
  sigma: number;
}

/** log p(θ) of LogNormal(mu, sigma) at θ = exp(logTheta), and its derivative in logTheta. */
export function logNormalLogDensity(
  prior: LogNormalPrior,
  logTheta: number,
): { value: number; dLog: number } {
  const z = (logTheta - prior.mu) / prior.sigma;
  return {
    value: -logTheta - Math.log(prior.sigma) - 0.5 * Math.log(2 * Math.PI) - 0.5 * z * z,
    dLog: -1 - z / prior.sigma,
  };
}

/** The mode exp(μ − σ²) of a log-normal prior. */
export function logNormalMode(prior: LogNormalPrior): number {
  return Math.exp(prior.mu - prior.sigma * prior.sigma);
}

/** Hvarfner et al.'s lengthscale prior for inputs in [0,1]^d. */
export function lengthscalePrior(d: number): LogNormalPrior {
  return { mu: Math.SQRT2 + 0.5 * Math.log(d), sigma: Math.sqrt(3) };
}

export const NOISE_PRIOR: LogNormalPrior = { mu: -4, sigma: 1 };
export const OUTPUTSCALE_PRIOR: LogNormalPrior = { mu: 0, sigma: 1 };

/** Box bounds of the fit (natural units; the constant mean in standardized units). */
export const FIT_BOUNDS = {
  lengthscale: [0.025, 1e3],
  outputscale: [1e-3, 1e2],
  noiseMax: 2,
  mean: [-10, 10],
} as const;
