/**
 * Shared preprocessing of the hypervolume routines (maximization throughout).
 */
import { paretoRows } from '../pareto';

/**
 * The rows that matter for a hypervolume above `ref`: those strictly better than `ref` in every
 * objective (a row equal to ref in one coordinate spans zero volume), reduced to the
 * deduplicated Pareto front.
 *
 * @param Y - (n, m) objective rows.
 * @param ref - (m) reference point.
 * @returns (k, m) fresh copies of the relevant non-dominated rows.
 */
export function relevantFront(
  Y: readonly (readonly number[])[],
  ref: readonly number[],
): number[][] {
  const m = ref.length;
  const above: number[][] = [];
  for (const [i, y] of Y.entries()) {
    if (y.length !== m) {
      throw new Error(
        `hypervolume: row ${i} has ${y.length} objectives, the reference point has ${m}`,
      );
    }
    if (y.every((v, j) => v > ref[j]!)) above.push(y as number[]);
  }
  return paretoRows(above);
}

/** Volume of the box [ref, y] (y assumed ≥ ref). */
export function boxVolume(y: readonly number[], ref: readonly number[]): number {
  let v = 1;
  for (let j = 0; j < ref.length; j++) v *= y[j]! - ref[j]!;
  return v;
}
