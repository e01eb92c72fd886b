/**
 * Where the GPs live and where the acquisition optimizer searches, for one optimizer domain.
 *
 * - 'coordinates': both are the domain's unit cube (box domains; and the simplex as BOMF's code
 *   and this project's first version did it, GPs over stick-breaking or cube coordinates).
 * - 'weights' (simplex only): the GPs see the fusion weights w themselves. Coordinates are not a
 *   faithful input for a fused model: whole faces of the stick-breaking cube, and every ray of
 *   BOMF's cube, map to one w, so a GP over coordinates spreads one model's score over a region
 *   and a duplicate check in coordinates never fires. The acquisition is warped through the cube
 *   map z ↦ z/Σz (gradients by its Jacobian), whose box faces are the simplex's faces, and a
 *   candidate counts as taken when its weights are within `SIMPLEX_DUPLICATE_TOL` (max-norm) of a
 *   taken point's weights.
 */
import type { Acquisition } from './acquisition/acquisition';
import { warpInputs } from './acquisition/input-warp';
import {
  cubeToSimplexWithJacobian,
  SimplexDomain,
  stickBreakingToSimplex,
  type UnitCubeDomain,
} from './domain';

/** Candidates closer than this (∞-norm, unit cube) to an existing point count as duplicates. */
export const DUPLICATE_TOL = 1e-6;
/** Fusion weights closer than this (∞-norm) are the same model for BO's purposes. */
export const SIMPLEX_DUPLICATE_TOL = 1e-3;

export type SurrogateInputs = 'coordinates' | 'weights';

export interface SearchSpace {
  /** Dimension of the optimizer's search box z. */
  readonly dim: number;
  /** The models' input for a domain point x. */
  modelInput(x: number[]): number[];
  /** The acquisition over model inputs, as a function of z. */
  warp(acquisition: Acquisition): Acquisition;
  /** z (after optimization) → domain coordinates x. */
  toX(z: number[]): number[];
  /** Domain coordinates x → z (for incumbent starts). */
  fromX(x: number[]): number[];
  /** A uniform sample of [0,1]^uniformDim → z, covering the domain evenly (raw samples). */
  fromUniform(u: number[]): number[];
  /** Whether domain points a and b count as the same point. */
  same(a: number[], b: number[]): boolean;
}

export function searchSpace(domain: UnitCubeDomain, inputs: SurrogateInputs): SearchSpace {
  if (inputs === 'weights' && domain instanceof SimplexDomain) return weightSpace(domain);
  return {
    dim: domain.dim,
    modelInput: (x) => x,
    warp: (a) => a,
    toX: (z) => z,
    fromX: (x) => x,
    fromUniform: (u) => domain.fromUniform(u),
    same: (a, b) => maxDistance(a, b) <= DUPLICATE_TOL,
  };
}

function weightSpace(domain: SimplexDomain): SearchSpace {
  // The canonical cube preimage of w (largest weight 1) keeps Σz ≥ 1: the Jacobian is bounded.
  const toCube = (w: number[]) => {
    const top = Math.max(...w);
    return w.map((v) => v / top);
  };
  return {
    dim: domain.size,
    modelInput: (x) => domain.toPoint(x),
    warp: (a) => warpInputs(a, cubeToSimplexWithJacobian),
    toX: (z) => domain.fromPoint(cubeToSimplexWithJacobian(z).point),
    fromX: (x) => toCube(domain.toPoint(x)),
    fromUniform: (u) => toCube(stickBreakingToSimplex(u)),
    same: (a, b) => maxDistance(domain.toPoint(a), domain.toPoint(b)) <= SIMPLEX_DUPLICATE_TOL,
  };
}

function maxDistance(a: readonly number[], b: readonly number[]): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k]! - b[k]!));
  return d;
}
