/**
 * Disjoint box decomposition of the NON-dominated region above a reference point
 * (maximization): the set of y ≥ ref not dominated by any point of the front. Its cells give the
 * hypervolume improvement of a single new point y as
 *
 *   HVI(y) = Σ_k Π_j max(0, min(y_j, u_kj) − l_kj),
 *
 * which is what EHVI and qNEHVI integrate. Upper bounds may be +Infinity.
 *
 * m = 2: the n+1 cells of the staircase (sorted by objective 0 ascending):
 *   [r0, p1x]×[p1y, ∞), [p_i x, p_{i+1} x]×[p_{i+1} y, ∞), [p_n x, ∞)×[r1, ∞).
 * m ≥ 3: a slab sweep over the last objective. Sorting the front by y_m descending, between
 * consecutive levels the region is (non-dominated region of the (m−1)-projection of the points
 * above that level) × slab; recursing gives an exact decomposition, and cells that are identical
 * in consecutive slabs are merged into one taller cell. Exact for any m; the cell count grows like
 * O(n^(m−1)) in the worst case, practical up to m = 4 (as in BoTorch and Optuna).
 */
import { relevantFront } from './prepare';

/** One axis-aligned cell [lower, upper] (upper entries may be +Infinity). */
export interface Box {
  lower: number[];
  upper: number[];
}

/**
 * Cells partitioning the region above `ref` that no row of Y dominates.
 *
 * @param Y - (n, m) objective rows (dominated rows, duplicates and rows not above ref are ignored).
 * @param ref - (m) reference point.
 * @returns disjoint boxes; their union is the non-dominated region above ref.
 */
export function nonDominatedBoxes(
  Y: readonly (readonly number[])[],
  ref: readonly number[],
): Box[] {
  return boxesOfFront(relevantFront(Y, ref), ref);
}

function boxesOfFront(P: number[][], ref: readonly number[]): Box[] {
  const m = ref.length;
  if (m === 1) {
    const top = P.reduce((acc, p) => Math.max(acc, p[0]!), ref[0]!);
    return [{ lower: [top], upper: [Infinity] }];
  }
  if (m === 2) return staircaseBoxes(P, ref);
  return slabSweepBoxes(P, ref);
}

function staircaseBoxes(P: number[][], ref: readonly number[]): Box[] {
  const sorted = P.slice().sort((a, b) => a[0]! - b[0]!);
  const boxes: Box[] = [];
  let left = ref[0]!;
  for (const p of sorted) {
    boxes.push({ lower: [left, p[1]!], upper: [p[0]!, Infinity] });
    left = p[0]!;
  }
  boxes.push({ lower: [left, ref[1]!], upper: [Infinity, Infinity] });
  return boxes;
}

function slabSweepBoxes(P: number[][], ref: readonly number[]): Box[] {
  const m = ref.length;
  const last = m - 1;
  const refLow = ref.slice(0, last);
  const sorted = P.slice().sort((a, b) => b[last]! - a[last]!);
  const out: Box[] = [];
  // Cells of the current slab, keyed by their (m−1)-bounds, with the top of their merged height.
  let active = new Map<string, { cell: Box; top: number }>();
  const open = (cells: Box[], top: number, previous: Map<string, { cell: Box; top: number }>) => {
    const next = new Map<string, { cell: Box; top: number }>();
    for (const cell of cells) {
      const key = `${cell.lower.join(',')}|${cell.upper.join(',')}`;
      next.set(key, previous.get(key) ?? { cell, top });
    }
    return next;
  };
  const close = (entry: { cell: Box; top: number }, bottom: number) => {
    if (entry.top > bottom) {
      out.push({
        lower: [...entry.cell.lower, bottom],
        upper: [...entry.cell.upper, entry.top],
      });
    }
  };
  active = open(boxesOfFront([], refLow), Infinity, active);
  const projected: number[][] = [];
  for (const p of sorted) {
    const level = p[last]!;
    projected.push(p.slice(0, last));
    const next = open(boxesOfFront(relevantFront(projected, refLow), refLow), level, active);
    for (const [key, entry] of active) if (next.get(key) !== entry) close(entry, level);
    active = next;
  }
  for (const entry of active.values()) close(entry, ref[last]!);
  return out;
}

/**
 * Hypervolume improvement of one point from a box decomposition of the non-dominated region.
 * @param y - (m) new objective values.
 * @param boxes - output of `nonDominatedBoxes` for the current front.
 */
export function hypervolumeImprovementFromBoxes(
  y: readonly number[],
  boxes: readonly Box[],
): number {
  let total = 0;
  for (const { lower, upper } of boxes) {
    let v = 1;
    for (let j = 0; j < y.length && v > 0; j++) {
      v *= Math.max(0, Math.min(y[j]!, upper[j]!) - lower[j]!);
    }
    total += v;
  }
  return total;
}
