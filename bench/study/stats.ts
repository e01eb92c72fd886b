/**
 * Summary statistics of the study: mean ± sample standard deviation over seeds,
 * the best method per task, and BOMF's paired wins/ties/losses against each
 * baseline (same task, same seed, so the same checkpoints).
 */
import type { CellResult, Significance, StudyMethod, StudyResults } from './results';

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
  method: StudyMethod,
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
  baseline: StudyMethod;
  wins: number;
  ties: number;
  losses: number;
  /** Mean of BOMF − baseline over the paired seeds. */
  meanDiff: number;
}

/** BOMF (or BOMF's choice under another rule, `ours`) against `baseline` on the test metric, paired by cell. */
export function pairedComparison(
  cells: readonly CellResult[],
  baseline: StudyMethod,
  metric: (cell: CellResult) => string,
  ours: StudyMethod = 'bomf',
): Paired {
  let wins = 0;
  let ties = 0;
  let losses = 0;
  const diffs: number[] = [];
  for (const cell of cells) {
    const m = metric(cell);
    const mine = testValue(cell, ours, m);
    const theirs = testValue(cell, baseline, m);
    if (mine === undefined || theirs === undefined || !Number.isFinite(mine - theirs)) continue;
    const d = mine - theirs;
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

export interface SignificanceCount {
  /** Cells where the 95% interval of BOMF − other lies above 0. */
  wins: number;
  /** ... below 0: the other method is better. */
  losses: number;
  /** The interval holds 0: the difference is inside the noise of the test split. */
  noise: number;
  /** Both make the same test predictions. */
  identical: number;
  /** Cells compared. */
  n: number;
}

/** One BOMF choice (`ours`) against `other` over the cells, counted by verdict. */
export function significanceCount(
  cells: readonly CellResult[],
  ours: StudyMethod,
  other: StudyMethod,
): SignificanceCount {
  const count: SignificanceCount = { wins: 0, losses: 0, noise: 0, identical: 0, n: 0 };
  for (const cell of cells) {
    const s = significanceIn(cell, ours, other);
    if (!s) continue;
    count.n++;
    if (s.verdict === 'bomf-better') count.wins++;
    else if (s.verdict === 'baseline-better') count.losses++;
    else if (s.verdict === 'identical') count.identical++;
    else count.noise++;
  }
  return count;
}

/** The cell's comparison of `ours` against `other`, if both were evaluated with per-example results. */
export function significanceIn(
  cell: CellResult,
  ours: StudyMethod,
  other: StudyMethod,
): Significance | undefined {
  return cell.significance?.[ours]?.find((s) => s.against === other);
}
