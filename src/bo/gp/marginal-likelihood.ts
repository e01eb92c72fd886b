/**
 * Gradient of the GP log marginal likelihood in the unconstrained hyperparameters
 * θ = [log ℓ_1 … log ℓ_d, log s, log σ², c].
 *
 * With r = y − c, α = K⁻¹ r and W = α αᵀ − K⁻¹ (Rasmussen & Williams 2006, eq. 5.9):
 *   ∂LML/∂θ_j = ½ tr(W ∂K/∂θ_j)       for the kernel and noise parameters,
 *   ∂LML/∂c   = 1ᵀ α                   (since ∂r/∂c = −1).
 * ∂K/∂log σ² = σ² I, ∂K/∂log s = K_f (the noise-free kernel matrix) and ∂K_ij/∂log ℓ_k follows
 * from the kernel profile (./kernels). Cost: O(n³) for K⁻¹ plus O(n² d) for the traces.
 */
import { inverseFromCholesky } from '../linalg';
import type { ExactGP } from './exact-gp';
import { kernelProfile, kernelProfileDerivative } from './kernels';

/** @returns (d + 3,) gradient of `gp.logMarginalLikelihood()` in θ (see the module comment). */
export function logMarginalLikelihoodGradient(gp: ExactGP): number[] {
  const { n, d, kernel, alpha, Xscaled } = gp;
  const { outputscale: s, noise } = gp.hyperparameters;
  const Kinv = inverseFromCholesky(gp.L, n);
  const grad: number[] = new Array(d + 3).fill(0);
  const diff = new Float64Array(d);
  let gradLogS = 0;
  let traceW = 0;
  for (let i = 0; i < n; i++) {
    const wii = alpha[i] * alpha[i] - Kinv[i * n + i];
    traceW += wii;
    gradLogS += wii * s; // K_f,ii = s · g(0) = s
    for (let j = 0; j < i; j++) {
      // Off-diagonal pairs appear twice in the trace; W and ∂K are symmetric.
      const wij = 2 * (alpha[i] * alpha[j] - Kinv[i * n + j]);
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = Xscaled[i * d + k] - Xscaled[j * d + k];
        diff[k] = t * t;
        r2 += diff[k];
      }
      gradLogS += wij * s * kernelProfile(kernel, r2);
      const dk = wij * s * kernelProfileDerivative(kernel, r2);
      for (let k = 0; k < d; k++) grad[k] -= 2 * dk * diff[k];
    }
  }
  for (let k = 0; k < d; k++) grad[k] *= 0.5;
  grad[d] = 0.5 * gradLogS;
  grad[d + 1] = 0.5 * noise * traceW;
  let sumAlpha = 0;
  for (let i = 0; i < n; i++) sumAlpha += alpha[i];
  grad[d + 2] = sumAlpha;
  return grad;
}
