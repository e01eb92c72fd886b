/**
 * Stationary ARD kernels k(a, b) = s · g(r²) with r² = Σ_k ((a_k − b_k) / ℓ_k)².
 *
 * Both kernels are written as a "profile" g of the scaled squared distance r², so that every
 * derivative follows from g and g' = dg/d(r²) by the chain rule:
 *   ∂k/∂a_k      = s · g'(r²) · 2 (a_k − b_k) / ℓ_k²
 *   ∂k/∂log ℓ_k  = s · g'(r²) · (−2) ((a_k − b_k) / ℓ_k)²
 *   ∂k/∂log s    = k
 * Differentiating in r² (not r) keeps Matérn's derivative finite at r = 0.
 */

/** Kernel family: Matérn ν = 5/2 (default) or squared exponential (RBF). */
export type KernelKind = 'matern52' | 'rbf';

const SQRT5 = Math.sqrt(5);

/** Profile g(r²): Matérn-5/2 (1 + √5 r + 5r²/3) e^{−√5 r}; RBF e^{−r²/2}. */
export function kernelProfile(kind: KernelKind, r2: number): number {
  if (kind === 'rbf') return Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** g'(r²) = dg/d(r²): Matérn-5/2 −(5/6)(1 + √5 r) e^{−√5 r}; RBF −½ e^{−r²/2}. */
export function kernelProfileDerivative(kind: KernelKind, r2: number): number {
  if (kind === 'rbf') return -0.5 * Math.exp(-0.5 * r2);
  const r = Math.sqrt(r2);
  return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** Hyperparameters of one kernel. */
export interface KernelParams {
  kind: KernelKind;
  /** (d,) positive ARD lengthscales. */
  lengthscales: ArrayLike<number>;
  /** Positive output scale s (prior variance of the latent function). */
  outputscale: number;
}

/** Value and gradients of k(a, b) for one pair of points. */
export interface KernelEvaluation {
  value: number;
  /** (d,) ∂k/∂a. */
  gradA: number[];
  /** (d,) ∂k/∂log ℓ. */
  gradLogLengthscales: number[];
  /** ∂k/∂log s. */
  gradLogOutputscale: number;
}

/**
 * k(a, b) with its gradients in a and in the log-hyperparameters.
 * @param a - (d,) point.
 * @param b - (d,) point.
 */
export function evaluateKernel(
  p: KernelParams,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): KernelEvaluation {
  const d = a.length;
  let r2 = 0;
  for (let k = 0; k < d; k++) {
    const t = (a[k] - b[k]) / p.lengthscales[k];
    r2 += t * t;
  }
  const value = p.outputscale * kernelProfile(p.kind, r2);
  const dk = p.outputscale * kernelProfileDerivative(p.kind, r2);
  const gradA: number[] = new Array(d);
  const gradLogLengthscales: number[] = new Array(d);
  for (let k = 0; k < d; k++) {
    const ell = p.lengthscales[k];
    const diff = a[k] - b[k];
    gradA[k] = (dk * 2 * diff) / (ell * ell);
    gradLogLengthscales[k] = -2 * dk * (diff / ell) ** 2;
  }
  return { value, gradA, gradLogLengthscales, gradLogOutputscale: value };
}
