/**
 * Exact hypervolume indicator (maximization): the Lebesgue measure of the region dominated by
 * the points and dominating the reference point, ∪_i [ref, y_i].
 *
 * m = 1: max − ref; m = 2, 3: dimension sweeps (sweep.ts); m ≥ 4: the WFG algorithm
 * (While, Bradstreet, Barone, IEEE TEC 16(1), 2012): HV(P) = Σ_i excl(p_i) with
 * excl(p_i) = vol(p_i) − HV(limit(p_{i+1..n}, p_i)), limit(q, p) = min(q, p) componentwise,
 * recursing on the non-dominated part of each limit set.
 */
import { paretoRows } from '../pareto';
import { boxVolume, relevantFront } from './prepare';
import { hypervolume2d, hypervolume3d } from './sweep';

/**
 * Hypervolume dominated by the rows of Y above `ref`. Rows not strictly above `ref` in every
 * objective contribute nothing; duplicates and dominated rows are ignored.
 *
 * @param Y - (n, m) objective values (maximized).
 * @param ref - (m) reference point.
 * @returns the hypervolume (0 for an empty set).
 */
export function hypervolume(Y: readonly (readonly number[])[], ref: readonly number[]): number {
  if (ref.length === 0) throw new Error('hypervolume: the reference point is empty');
  return hypervolumeOfFront(relevantFront(Y, ref), ref);
}

/** Hypervolume of a non-dominated set whose rows are all strictly above `ref`. */
function hypervolumeOfFront(P: number[][], ref: readonly number[]): number {
  const m = ref.length;
  if (P.length === 0) return 0;
  if (P.length === 1) return boxVolume(P[0]!, ref);
  if (m === 1) return Math.max(...P.map((p) => p[0]!)) - ref[0]!;
  if (m === 2) return hypervolume2d(P, ref);
  if (m === 3) return hypervolume3d(P, ref);
  return wfg(P, ref);
}

function wfg(P: number[][], ref: readonly number[]): number {
  const m = ref.length;
  // Sorting by the last objective descending keeps the limit sets small.
  const sorted = P.slice().sort((a, b) => b[m - 1]! - a[m - 1]!);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    const limited: number[][] = [];
    for (let k = i + 1; k < sorted.length; k++) {
      const q = sorted[k]!;
      const lim = q.map((v, j) => Math.min(v, p[j]!));
      if (lim.every((v, j) => v > ref[j]!)) limited.push(lim);
    }
    total += boxVolume(p, ref) - hypervolumeOfFront(paretoRows(limited), ref);
  }
  return total;
}

/**
 * Hypervolume improvement of adding a set of new points to Y:
 * HV(Y ∪ newPoints) − HV(Y), exact (joint improvement, overlaps between new points counted once).
 *
 * @param newPoints - (q, m) candidate objective values.
 * @param Y - (n, m) current points (need not be non-dominated).
 * @param ref - (m) reference point.
 */
export function hypervolumeImprovement(
  newPoints: readonly (readonly number[])[],
  Y: readonly (readonly number[])[],
  ref: readonly number[],
): number {
  const gain = hypervolume([...Y, ...newPoints], ref) - hypervolume(Y, ref);
  return Math.max(0, gain);
}
