/**
 * Summary statistics of the study: mean ± sample standard deviation over seeds,
 * the best method per task, and BOMF's paired wins/ties/losses against each
 * baseline (same task, same seed, so the same checkpoints).
 */
import type { BaselineName } from '../../src/contract/events';
import type { CellResult, StudyResults } from './results';

/** Test metrics closer than this count as a tie (same fused model, or one example's flip on ≥ 10⁴ examples). */
export const TIE = 1e-4;

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n − 1); NaN for a single value. */
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std =
    n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  return { mean, std, n };
}

/** A finished cell's test value of `metric` for `method`, if defined. */
export function testValue(
  cell: CellResult,
  method: BaselineName,
  metric: string,
): number | undefined {
  const v: unknown = cell.methods[method]?.test?.metrics[metric];
  // NaN metrics (constant predictions) come back from JSON as null.
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function doneCells(results: StudyResults, task: string): CellResult[] {
  return results.cells.filter((c) => c.task === task && c.status === 'done');
}

export interface Paired {
  baseline: BaselineName;
  wins: number;
  ties: number;
  losses: number;
  /** Mean of BOMF − baseline over the paired seeds. */
  meanDiff: number;
}

/** BOMF against `baseline` on the test metric, paired by cell. */
export function pairedComparison(
  cells: readonly CellResult[],
  baseline: BaselineName,
  metric: (cell: CellResult) => string,
): Paired {
  let wins = 0;
  let ties = 0;
  let losses = 0;
  const diffs: number[] = [];
  for (const cell of cells) {
    const m = metric(cell);
    const ours = testValue(cell, 'bomf', m);
    const theirs = testValue(cell, baseline, m);
    if (ours === undefined || theirs === undefined || !Number.isFinite(ours - theirs)) continue;
    const d = ours - theirs;
    diffs.push(d);
    if (Math.abs(d) <= TIE) ties++;
    else if (d > 0) wins++;
    else losses++;
  }
  return { baseline, wins, ties, losses, meanDiff: meanStd(diffs).mean };
}

/** Pointwise mean of curves of possibly different lengths (the mean over the curves that reach each index). */
export function meanCurve(curves: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  return Array.from(
    { length },
    (_, i) => meanStd(curves.filter((c) => i < c.length).map((c) => c[i]!)).mean,
  );
}
