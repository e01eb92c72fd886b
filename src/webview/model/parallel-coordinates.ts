/**
 * Stage 1 as parallel coordinates (Optuna's plot_parallel_coordinate): one vertical axis per
 * searched hyperparameter, by name, then the objective; one line per ended trial. Each value
 * is placed at its fraction of the axis's range, in log10 for a log-scaled search range, so
 * every axis spans the same height.
 */
import { type RunFold, trialsInOrder } from '../../contract/fold';
import { isLogScaled } from './trials';

export interface ParallelAxis {
  /** The hyperparameter's name, or 'objective'. */
  name: string;
  objective: boolean;
  log: boolean;
  /** The value at the bottom and the top of the axis: the search range, else the values seen. */
  low: number;
  high: number;
}

export interface ParallelLine {
  trial: number;
  failed: boolean;
  objective?: number;
  error?: string;
  /** Per axis, the value as tried (undefined where the trial has none, e.g. a failed trial's objective). */
  values: (number | undefined)[];
  /** Per axis, the position in [0, 1] (null where there is no value: the line breaks there). */
  positions: (number | null)[];
}

export interface ParallelCoordinates {
  axes: ParallelAxis[];
  /** Failed trials first, then finished ones from the worst objective to the best (drawn in this order, best on top). */
  lines: ParallelLine[];
}

export const OBJECTIVE_AXIS = 'objective';

/** Where `value` sits on the axis, 0 at `low` and 1 at `high`; the middle for a flat axis. */
export function axisPosition(axis: ParallelAxis, value: number): number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const span = f(axis.high) - f(axis.low);
  if (!(span > 0)) return 0.5;
  return (f(value) - f(axis.low)) / span;
}

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function parallelCoordinates(run: RunFold): ParallelCoordinates {
  // Running trials have no outcome yet: they join when they end.
  const ended = trialsInOrder(run).filter((t) => t.status !== 'running');
  const names = new Set<string>(run.space?.map((s) => s.name));
  for (const t of ended) for (const name of Object.keys(t.params)) names.add(name);
  const axes: ParallelAxis[] = [...names].sort().map((name) => {
    const tried = ended.map((t) => t.params[name]).filter(finite);
    const searched = run.space?.find((s) => s.name === name);
    if (searched)
      return { name, objective: false, log: searched.log, low: searched.low, high: searched.high };
    return {
      name,
      objective: false,
      log: isLogScaled(tried),
      low: Math.min(...tried),
      high: Math.max(...tried),
    };
  });
  const objectives = ended.map((t) => (t.status === 'done' ? t.objective : undefined));
  const seen = objectives.filter(finite);
  if (ended.length > 0)
    axes.push({
      name: OBJECTIVE_AXIS,
      objective: true,
      log: false,
      low: seen.length > 0 ? Math.min(...seen) : 0,
      high: seen.length > 0 ? Math.max(...seen) : 1,
    });

  const lines = ended.map((t, i): ParallelLine => {
    const objective = objectives[i];
    const failed = !finite(objective);
    const values = axes.map((a) => (a.objective ? objective : t.params[a.name]));
    return {
      trial: t.trial,
      failed,
      objective: failed ? undefined : objective,
      error: failed ? (t.error ?? 'no objective') : undefined,
      values,
      positions: values.map((v, k) => (finite(v) ? axisPosition(axes[k]!, v) : null)),
    };
  });
  lines.sort((a, b) =>
    a.failed || b.failed
      ? Number(b.failed) - Number(a.failed) || a.trial - b.trial
      : a.objective! - b.objective! || a.trial - b.trial,
  );
  return { axes, lines };
}
