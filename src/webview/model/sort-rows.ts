/** Sorting a table by one column, shared by the experiments table and the trial table. */

export type SortValue = string | number | undefined;

function isMissing(v: SortValue): v is undefined {
  return v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * A sorted copy. Missing values go last in either direction (a running run or trial has no
 * result yet; it should not top a "best first" sort); `tieBreak` orders equal values the same
 * way in both directions, so the order is stable across redraws.
 */
export function sortByValue<R>(
  rows: readonly R[],
  valueOfRow: (row: R) => SortValue,
  descending: boolean,
  tieBreak: (a: R, b: R) => number,
): R[] {
  return [...rows].sort((a, b) => {
    const va = valueOfRow(a);
    const vb = valueOfRow(b);
    const ma = isMissing(va);
    const mb = isMissing(vb);
    if (ma || mb) return ma === mb ? tieBreak(a, b) : ma ? 1 : -1;
    const c = compareValues(va, vb);
    return (descending ? -c : c) || tieBreak(a, b);
  });
}
