/**
 * The experiments table's columns, and sorting and filtering of its rows: pure, so the page
 * only draws what these return.
 */
import type { ExperimentRow } from '../../contract/experiments-protocol';
import { sortByValue } from './sort-rows';

export interface TableColumn {
  /** Stable key, persisted with the user's choice of columns and sort. */
  key: string;
  label: string;
  numeric: boolean;
}

const PARAM_PREFIX = 'param:';

/** Fixed columns first, then one per searched hyperparameter seen in any row (sorted by name). */
export function tableColumns(rows: readonly ExperimentRow[]): TableColumn[] {
  const params = new Set<string>();
  for (const r of rows) for (const p of Object.keys(r.params)) params.add(p);
  return [
    { key: 'title', label: 'Run', numeric: false },
    { key: 'state', label: 'Status', numeric: false },
    { key: 'duration', label: 'Duration', numeric: true },
    ...[...params].sort().map((p) => ({ key: PARAM_PREFIX + p, label: p, numeric: true })),
    { key: 'validation', label: 'Validation', numeric: true },
    { key: 'test', label: 'Test', numeric: true },
    { key: 'baseline', label: 'Best baseline', numeric: false },
    { key: 'baselineTest', label: 'Baseline test', numeric: true },
    { key: 'difference', label: 'BOMF − baseline', numeric: true },
  ];
}

/** The value a column shows for a row; undefined when the run has none (yet). */
export function cellValue(row: ExperimentRow, key: string): string | number | undefined {
  if (key.startsWith(PARAM_PREFIX)) return row.params[key.slice(PARAM_PREFIX.length)];
  switch (key) {
    case 'title':
      return row.title;
    case 'state':
      return row.state;
    case 'duration':
      return row.durationSeconds;
    case 'validation':
      return row.validation;
    case 'test':
      return row.test;
    case 'baseline':
      return row.bestBaseline;
    case 'baselineTest':
      return row.bestBaselineTest;
    case 'difference':
      return row.difference;
    default:
      return undefined;
  }
}

/**
 * Rows sorted by one column, missing values last (see sortByValue). Ties keep the newer run
 * first.
 */
export function sortRows(
  rows: readonly ExperimentRow[],
  key: string,
  descending: boolean,
): ExperimentRow[] {
  const newestFirst = (a: ExperimentRow, b: ExperimentRow) =>
    (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.runDir.localeCompare(b.runDir);
  return sortByValue(rows, (r) => cellValue(r, key), descending, newestFirst);
}

/**
 * Rows whose shown text contains every word of `query` (case-insensitive), in any column:
 * `sst2 done` keeps the finished runs of sst2.
 */
export function filterRows(
  rows: readonly ExperimentRow[],
  columns: readonly TableColumn[],
  query: string,
  format: (row: ExperimentRow, column: TableColumn) => string,
): ExperimentRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const text = columns
      .map((c) => format(r, c))
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
