/** The results table: validation and test loss/metrics for BOMF and each baseline. */
import type { Evaluation } from '../../contract/events';
import type { RunFold } from '../../contract/fold';
import type { BaselineName } from '../../contract/fusion-events';
import { compareOnTest, type TestComparison } from '../../engine/report/significance';

export interface ResultRow {
  method: BaselineName;
  label: string;
  weights: number[];
  validation: Evaluation;
  test?: Evaluation;
  notes: string[];
  /** Baselines: BOMF against this row on test, when both have per-example results. */
  versusBomf?: TestComparison;
}

export interface ResultsTable {
  /** Union of metric names over all rows and both splits, sorted. */
  metricNames: string[];
  /** BOMF first, then baselines in the order they were reported. */
  rows: ResultRow[];
  /** Methods with the best test value per column ('loss' or a metric name), all of them when several tie; absent without test results. */
  bestTest: Record<string, BaselineName[]>;
}

const LABELS: Record<BaselineName, string> = {
  bomf: 'BOMF',
  'best-single': 'Best single checkpoint',
  last: 'Last checkpoint',
  swa: 'SWA (uniform average)',
  'greedy-soup': 'Greedy soup',
  'sobo-metric': 'Single-objective BO (metric)',
  'sobo-loss': 'Single-objective BO (loss)',
};

export function methodLabel(method: BaselineName): string {
  return LABELS[method] ?? method;
}

export function resultsTable(run: RunFold): ResultsTable {
  const rows: ResultRow[] = [...run.baselines.values()].map((b) => ({
    method: b.name,
    label: methodLabel(b.name),
    weights: b.weights,
    validation: b.validation,
    test: b.test,
    notes: b.notes ?? [],
  }));
  // Before the baselines stage reports 'bomf', the selection already describes it.
  if (!run.baselines.has('bomf') && run.selection) {
    const s = run.selection;
    rows.push({
      method: 'bomf',
      label: LABELS.bomf,
      weights: s.weights,
      validation: s.validation,
      test: s.test,
      notes: [],
    });
  }
  rows.sort((a, b) => Number(b.method === 'bomf') - Number(a.method === 'bomf'));
  const bomf = rows.find((r) => r.method === 'bomf')?.test;
  // The primary metric is BOMF's first (metrics follow data.metrics' order).
  const primary = Object.keys(bomf?.metrics ?? {})[0];
  for (const r of rows) {
    if (r.method !== 'bomf' && primary)
      r.versusBomf = compareOnTest(r.method, bomf, r.test, primary);
  }
  const names = new Set<string>();
  for (const r of rows) {
    for (const m of Object.keys(r.validation.metrics)) names.add(m);
    for (const m of Object.keys(r.test?.metrics ?? {})) names.add(m);
  }
  const metricNames = [...names].sort();
  return { metricNames, rows, bestTest: bestTestPerColumn(rows, metricNames) };
}

/**
 * Per column, every method whose test value is the best one. Methods that landed on the same
 * weights (best single, greedy soup and the SOBO baselines often do) tie exactly, and all of
 * them are best: marking only the first row would credit whichever sorts first (BOMF).
 */
function bestTestPerColumn(
  rows: readonly ResultRow[],
  metricNames: readonly string[],
): Record<string, BaselineName[]> {
  const best: Record<string, BaselineName[]> = {};
  const pick = (column: string, value: (r: ResultRow) => number | undefined, maximize: boolean) => {
    const scored = rows.flatMap((r) => {
      const v = value(r);
      return v !== undefined && Number.isFinite(v) ? [{ method: r.method, v }] : [];
    });
    if (scored.length === 0) return;
    const top = (maximize ? Math.max : Math.min)(...scored.map((x) => x.v));
    best[column] = scored.filter((x) => x.v === top).map((x) => x.method);
  };
  pick('loss', (r) => r.test?.loss, false);
  for (const m of metricNames) pick(m, (r) => r.test?.metrics[m], true);
  return best;
}
