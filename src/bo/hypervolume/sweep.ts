/**
 * Exact hypervolume in two and three objectives by dimension sweeps (maximization).
 *
 * 2D: sort by objective 0 descending; each point adds the strip between its objective-1 value
 * and the best objective-1 value seen so far, O(n log n).
 * 3D: sweep objective 2 downwards, maintaining the 2D staircase of the points seen so far;
 * HV = Σ area(staircase_i)·(z_i − z_{i+1}). O(n²): simple, and fast for the front sizes of BO.
 * (Optimal Θ(n log n) algorithms exist: Beume et al. 2009; not needed here.)
 *
 * Inputs must already be filtered to points strictly above `ref` (see `relevantFront`).
 */

/**
 * Area dominated by 2D points above `ref` (any order; dominated points allowed).
 * @param P - (n, ≥2) rows; only columns 0 and 1 are read.
 * @param ref - reference point; only entries 0 and 1 are read.
 */
export function hypervolume2d(P: readonly (readonly number[])[], ref: readonly number[]): number {
  const order = P.map((_, i) => i).sort((a, b) => P[b]![0]! - P[a]![0]!);
  let area = 0;
  let bestY = ref[1]!;
  for (const i of order) {
    const p = P[i]!;
    if (p[1]! > bestY) {
      area += (p[0]! - ref[0]!) * (p[1]! - bestY);
      bestY = p[1]!;
    }
  }
  return area;
}

/**
 * Volume dominated by 3D points above `ref`.
 * @param P - (n, 3) rows.
 * @param ref - (3) reference point.
 */
export function hypervolume3d(P: readonly (readonly number[])[], ref: readonly number[]): number {
  const order = P.map((_, i) => i).sort((a, b) => P[b]![2]! - P[a]![2]!);
  // 2D staircase of the points swept so far, sorted by x descending (so y ascending).
  const stairs: number[][] = [];
  let volume = 0;
  for (let k = 0; k < order.length; k++) {
    const p = P[order[k]!]!;
    insertIntoStaircase(stairs, p[0]!, p[1]!);
    const nextZ = k + 1 < order.length ? P[order[k + 1]!]![2]! : ref[2]!;
    const height = p[2]! - nextZ;
    if (height > 0) volume += hypervolume2d(stairs, ref) * height;
  }
  return volume;
}

function insertIntoStaircase(stairs: number[][], x: number, y: number): void {
  // Dominated (or equal) already: nothing changes.
  for (const s of stairs) if (s[0]! >= x && s[1]! >= y) return;
  // Drop the points the new one dominates, then insert keeping x descending.
  let w = 0;
  for (const s of stairs) if (!(x >= s[0]! && y >= s[1]!)) stairs[w++] = s;
  stairs.length = w;
  let at = 0;
  while (at < stairs.length && stairs[at]![0]! > x) at++;
  stairs.splice(at, 0, [x, y]);
}
