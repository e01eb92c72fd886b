/**
 * Two or more runs side by side: their Pareto fronts, stage-1 histories and training-loss
 * curves as one series per run, and what differs between their resolved configs and results.
 * Built from each run's contract fold by the single-run view models, so a run looks the same
 * here as in its dashboard.
 */
import type { ExperimentRow } from '../../contract/experiments-protocol';
import type { RunFold } from '../../contract/fold';
import { type Dimension, defaultAxes, paretoDimensions, paretoSeries } from './pareto';
import { trainingCurves, type XY } from './training';
import { trialHistory } from './trials';

export interface ComparedRun {
  title: string;
  fold: RunFold;
}

export interface RunSeries {
  /** The run's title: the series' legend label. */
  title: string;
  points: XY[];
}

export interface FrontOverlay {
  xDim: Dimension;
  yDim: Dimension;
  /** One staircase per run (its front in the plotted pair of dimensions), sorted by x. */
  fronts: RunSeries[];
  /** Each run's chosen fused model, where it has one. */
  chosen: (XY | undefined)[];
}

/**
 * Axes every run can be drawn on: validation loss against the first validation metric all
 * runs share (runs of different tasks may report different metrics).
 */
export function commonAxes(runs: readonly ComparedRun[]): [Dimension, Dimension] {
  // A run without stage-3 results yet has no metrics to offer and constrains nothing.
  const perRun = runs
    .filter((r) => r.fold.fusionEvals.size > 0)
    .map((r) => paretoDimensions(r.fold));
  const shared = (perRun[0] ?? []).filter((d) =>
    perRun.every((ds) => ds.some((x) => x.key === d.key)),
  );
  return defaultAxes(shared);
}

export function frontOverlay(runs: readonly ComparedRun[]): FrontOverlay {
  const [xDim, yDim] = commonAxes(runs);
  const series = runs.map((r) => paretoSeries(r.fold, xDim, yDim));
  return {
    xDim,
    yDim,
    fronts: series.map((s, i) => ({
      title: runs[i]!.title,
      points: s.frontLine.map((p) => ({ x: p.x, y: p.y })),
    })),
    chosen: series.map((s) => (s.chosen ? { x: s.chosen.x, y: s.chosen.y } : undefined)),
  };
}

/** Best stage-1 objective so far against the trial number, one step line per run. */
export function historyOverlay(runs: readonly ComparedRun[]): RunSeries[] {
  return runs.map((r) => ({
    title: r.title,
    points: trialHistory(r.fold).bestSoFar.map((b) => ({ x: b.trial, y: b.best })),
  }));
}

/** Stage 2 training loss against the step, one line per run. */
export function trainLossOverlay(runs: readonly ComparedRun[]): RunSeries[] {
  return runs.map((r) => ({ title: r.title, points: trainingCurves(r.fold).trainLoss }));
}

export interface DiffRow {
  /** Dotted path (`train.learningRate`) or a result's name. */
  key: string;
  /** One shown value per run; '–' where the run has none. */
  values: string[];
  /** Not every run has the same value. */
  differs: boolean;
}

const MISSING = '–';

function diffRow(key: string, values: string[]): DiffRow {
  return { key, values, differs: new Set(values).size > 1 };
}

/** Leaves of a parsed config as dotted paths (arrays by index), scalars as their JSON text. */
export function flattenConfig(
  value: unknown,
  prefix = '',
  out = new Map<string, string>(),
): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [k, v] of entries) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'));
  }
  return out;
}

/**
 * Every config key any run has, sorted, with each run's value: a key only some runs set
 * differs (absent vs. present), and so does a run whose config could not be read.
 */
export function configDiff(configs: readonly unknown[]): DiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = new Set<string>();
  for (const f of flat) for (const k of f.keys()) keys.add(k);
  return [...keys].sort().map((k) =>
    diffRow(
      k,
      flat.map((f) => f.get(k) ?? MISSING),
    ),
  );
}

/** The experiments table transposed: one row per column, one value per run, as shown there. */
export function resultsDiff<C extends { key: string; label: string }>(
  rows: readonly ExperimentRow[],
  columns: readonly C[],
  format: (row: ExperimentRow, column: C) => string,
): DiffRow[] {
  return columns.map((c) => ({
    ...diffRow(
      c.label,
      rows.map((r) => format(r, c)),
    ),
  }));
}
