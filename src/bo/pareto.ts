/**
 * Pareto (non-dominated) filtering. Convention of the whole BO core: every objective is MAXIMIZED.
 *
 * Row a dominates row b when a ≥ b in every objective and a > b in at least one.
 */

/** True when `a` dominates `b` (maximization): a ≥ b everywhere and a > b somewhere. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let j = 0; j < a.length; j++) {
    if (a[j]! < b[j]!) return false;
    if (a[j]! > b[j]!) strictly = true;
  }
  return strictly;
}

function sameRow(a: readonly number[], b: readonly number[]): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/**
 * Indices of the non-dominated rows of Y (maximization), in increasing index order.
 * Identical rows are reported once (the first occurrence). Rows containing NaN are never
 * on the front.
 *
 * Rows are visited in decreasing lexicographic order, so a row can only be dominated by a row
 * visited before it; each row is compared with the front found so far: O(n·|front|·m).
 *
 * @param Y - (n, m) objective values, row-major.
 * @returns indices into Y of the Pareto-optimal rows, ascending.
 */
export function paretoFront(Y: readonly (readonly number[])[]): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < Y.length; i++) if (!Y[i]!.some(Number.isNaN)) candidates.push(i);
  // Decreasing lexicographic order; ties (identical rows) keep the smaller index first.
  candidates.sort((a, b) => {
    const ya = Y[a]!;
    const yb = Y[b]!;
    for (let j = 0; j < ya.length; j++) if (ya[j] !== yb[j]) return yb[j]! - ya[j]!;
    return a - b;
  });
  const front: number[] = [];
  for (const i of candidates) {
    const yi = Y[i]!;
    let keep = true;
    for (const k of front) {
      const yk = Y[k]!;
      if (dominates(yk, yi) || sameRow(yk, yi)) {
        keep = false;
        break;
      }
    }
    if (keep) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/** The non-dominated rows themselves (deduplicated), in the order of `paretoFront`. */
export function paretoRows(Y: readonly (readonly number[])[]): number[][] {
  return paretoFront(Y).map((i) => Y[i]!.slice());
}
