/**
 * A domain maps the optimizer's own coordinates, the unit cube [0,1]^dim, to the user's
 * coordinates ("points"), and back. The GP and the acquisition optimizer only ever see the cube.
 */
export interface UnitCubeDomain {
  /** Dimension of the unit cube the optimizer searches. */
  readonly dim: number;
  /** Dimension of the uniform samples `fromUniform` expects (designs with even coverage). */
  readonly uniformDim: number;
  /** Unit-cube coordinates (dim) → user point (box: natural units; simplex: weights). */
  toPoint(x: readonly number[]): number[];
  /** User point → unit-cube coordinates, the canonical preimage (toPoint(fromPoint(p)) = p). */
  fromPoint(point: readonly number[]): number[];
  /**
   * A uniform sample of [0,1]^uniformDim → unit-cube coordinates whose points cover the user
   * domain evenly (for the simplex: uniformly on the simplex). Used for designs and raw samples.
   */
  fromUniform(u: readonly number[]): number[];
}

/** Clamp to [0, 1]. */
export function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
