/**
 * Reference point for hypervolume-based acquisition (maximization).
 */
import { paretoRows } from '../pareto';

/** Smallest range used to scale the nadir offset (BoTorch's MIN_Y_RANGE), avoiding ref = nadir. */
const MIN_RANGE = 1e-7;

/**
 * The user's reference point if given, else BoTorch's rule (`infer_reference_point`, after
 * Ishibuchi et al. 2011): ref = nadir − scale·(ideal − nadir) over the Pareto front of Y, with the
 * range floored at 1e-7. For a single Pareto point, ref = y − scale·max(|y|, 1e-7) (BoTorch uses
 * scale·|y|; the floor keeps ref strictly below y when y_j = 0).
 *
 * @param Y - (n, m) observed objective values, n ≥ 1.
 * @param userRef - optional (m) reference point; returned as is when given.
 * @param scale - fraction of the range to step below the nadir (default 0.1).
 * @returns (m) reference point.
 */
export function referencePoint(
  Y: readonly (readonly number[])[],
  userRef?: readonly number[],
  scale = 0.1,
): number[] {
  if (userRef) return userRef.slice();
  const front = paretoRows(Y);
  if (front.length === 0)
    throw new Error('referencePoint: no finite observations to infer it from');
  const m = front[0]!.length;
  const ref: number[] = [];
  for (let j = 0; j < m; j++) {
    const col = front.map((y) => y[j]!);
    const nadir = Math.min(...col);
    const ideal = Math.max(...col);
    const range = front.length === 1 ? Math.abs(nadir) : ideal - nadir;
    ref.push(nadir - scale * Math.max(range, MIN_RANGE));
  }
  return ref;
}
