/**
 * The probability simplex Δ^(K−1) = {w ∈ R^K : w ≥ 0, Σw = 1} for fusion weights.
 *
 * Two parametrizations (bo-reference.md §4):
 * - 'stick-breaking' (default): u ∈ [0,1]^(K−1), b_i = 1 − (1 − u_i)^(1/(K−1−i)) (the inverse
 *   cdf of Beta(1, K−1−i)), w_i = b_i·Π_{j<i}(1 − b_j), w_{K−1} = Π_j (1 − b_j). A bijection
 *   (a.e.) with a box, and uniform u gives uniform (Dirichlet(1)) weights, so Sobol designs
 *   cover vertices and edges as often as the centre.
 * - 'bomf-cube': BOMF's own, x ∈ [0,1]^K, w = x/Σx (w uniform when Σx = 0). Many-to-one
 *   (constant on rays) and centre-biased under uniform x; kept for faithfulness. Its canonical
 *   preimage of w is w/max(w), and its uniform designs go through stick-breaking first.
 */
import { clamp01, type UnitCubeDomain } from './types';

export type SimplexParametrization = 'stick-breaking' | 'bomf-cube';

/** Stick-breaking map u ∈ [0,1]^(K−1) → w ∈ Δ^(K−1). */
export function stickBreakingToSimplex(u: readonly number[]): number[] {
  const K = u.length + 1;
  const w: number[] = [];
  let rest = 1;
  for (let i = 0; i < K - 1; i++) {
    const b = 1 - (1 - clamp01(u[i]!)) ** (1 / (K - 1 - i));
    w.push(rest * b);
    rest *= 1 - b;
  }
  w.push(rest);
  return w;
}

/** Inverse of `stickBreakingToSimplex` (w ∈ Δ^(K−1) → u ∈ [0,1]^(K−1)); u_i = 0 once the stick is used up. */
export function simplexToStickBreaking(w: readonly number[]): number[] {
  const K = w.length;
  const u: number[] = [];
  let rest = 1;
  for (let i = 0; i < K - 1; i++) {
    const b = rest > 0 ? Math.min(1, Math.max(0, w[i]! / rest)) : 0;
    u.push(clamp01(1 - (1 - b) ** (K - 1 - i)));
    rest = Math.max(0, rest - w[i]!);
  }
  return u;
}

/**
 * BOMF's cube map z ∈ [0,1]^K → w = z/Σz with its Jacobian ∂w_i/∂z_k = (δ_ik − w_i)/Σz, row-major.
 * Bounded wherever Σz is not small, and its faces z_k = 0 are the simplex's faces, so a
 * box-bounded optimizer reaches faces and vertices exactly. Σz = 0 gives the centre, Jacobian 0.
 */
export function cubeToSimplexWithJacobian(z: readonly number[]): {
  point: number[];
  jacobian: Float64Array;
} {
  const K = z.length;
  const clamped = z.map(clamp01);
  const sum = clamped.reduce((a, b) => a + b, 0);
  const jacobian = new Float64Array(K * K);
  if (!(sum > 0)) return { point: clamped.map(() => 1 / K), jacobian };
  const point = clamped.map((v) => v / sum);
  for (let i = 0; i < K; i++) {
    for (let k = 0; k < K; k++) jacobian[i * K + k] = ((i === k ? 1 : 0) - point[i]!) / sum;
  }
  return { point, jacobian };
}

export class SimplexDomain implements UnitCubeDomain {
  readonly dim: number;
  readonly uniformDim: number;

  /** @param size - K ≥ 2, the number of weights. */
  constructor(
    readonly size: number,
    readonly parametrization: SimplexParametrization = 'stick-breaking',
  ) {
    if (!Number.isInteger(size) || size < 2) {
      throw new Error(`simplex domain: size must be an integer ≥ 2, got ${size}`);
    }
    if (parametrization !== 'stick-breaking' && parametrization !== 'bomf-cube') {
      throw new Error(`simplex domain: unknown parametrization '${parametrization}'`);
    }
    this.dim = parametrization === 'stick-breaking' ? size - 1 : size;
    this.uniformDim = size - 1;
  }

  toPoint(x: readonly number[]): number[] {
    if (this.parametrization === 'stick-breaking') return stickBreakingToSimplex(x);
    const clamped = x.map(clamp01);
    const sum = clamped.reduce((a, b) => a + b, 0);
    // Guard the singular origin: every ray ends there, the uniform weights are the neutral choice.
    if (sum <= 0) return clamped.map(() => 1 / this.size);
    return clamped.map((v) => v / sum);
  }

  fromPoint(point: readonly number[]): number[] {
    const sum = point.reduce((a, b) => a + Math.max(0, b), 0);
    if (!(sum > 0))
      throw new Error('simplex domain: weights must be non-negative with a positive sum');
    const w = point.map((v) => Math.max(0, v) / sum);
    if (this.parametrization === 'stick-breaking') return simplexToStickBreaking(w);
    const top = Math.max(...w);
    return w.map((v) => v / top);
  }

  fromUniform(u: readonly number[]): number[] {
    if (this.parametrization === 'stick-breaking') return u.map(clamp01);
    return this.fromPoint(stickBreakingToSimplex(u));
  }
}
