/**
 * Smooth, heavy-tailed replacements of ReLU and max for log-space acquisitions (Ament et al.,
 * "Unexpected improvements to expected improvement for Bayesian optimization", NeurIPS 2023,
 * §4 and appendix): the heavy tails keep values and gradients from vanishing far from the
 * feasible improvement, unlike softplus/logsumexp whose tails decay exponentially.
 */

/** Weight of the Cauchy term that makes fatplus heavy-tailed yet monotone and convex. */
const CAUCHY_WEIGHT = 0.1;

/**
 * log fatplus_τ(x) = log(τ·[softplus(x/τ) + 0.1/(1 + (x/τ)²)]) and its derivative in x.
 * fatplus_τ → ReLU as τ → 0; below 0 it decays like 0.1·τ³/x², so its log stays finite.
 */
export function logFatplus(x: number, tau: number): { value: number; grad: number } {
  const z = x / tau;
  const softplus = z > 30 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  const sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  const onePlusZ2 = 1 + z * z;
  const f = softplus + CAUCHY_WEIGHT / onePlusZ2;
  const df = sigmoid - (2 * CAUCHY_WEIGHT * z) / (onePlusZ2 * onePlusZ2);
  return { value: Math.log(tau) + Math.log(f), grad: df / (tau * f) };
}

/** r(z) = 2/(2 + 2z + z²) for z ≥ 0: a Pareto-type weight with r(0) = 1 and O(1/z²) tails. */
function paretoWeight(z: number): number {
  return 2 / (2 + 2 * z + z * z);
}

function paretoWeightDerivative(z: number): number {
  const den = 2 + 2 * z + z * z;
  return (-2 * (2 + 2 * z)) / (den * den);
}

/**
 * fatmin_τ(a, b) = −fatmax_τ(−a, −b), fatmax_τ(x) = M + τ·log Σ_i r((M − x_i)/τ), M = max x:
 * a smooth lower approximation of min(a, b) (within τ·log 2) with its two partial derivatives,
 * which are non-negative and sum to 1.
 */
export function fatmin2(
  a: number,
  b: number,
  tau: number,
): { value: number; da: number; db: number } {
  const low = Math.min(a, b);
  const zOther = Math.abs(a - b) / tau;
  const rOther = paretoWeight(zOther);
  const sum = 1 + rOther;
  // d/d(other) of −τ·log(1 + r((other − low)/τ)) = −r'/sum ≥ 0; the smaller one gets the rest.
  const dOther = -paretoWeightDerivative(zOther) / sum;
  const value = low - tau * Math.log(sum);
  return a <= b ? { value, da: 1 - dOther, db: dOther } : { value, da: dOther, db: 1 - dOther };
}
