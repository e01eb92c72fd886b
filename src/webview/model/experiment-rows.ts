/**
 * One run of the experiments table, read from its contract fold: the best stage-1 trial's
 * hyperparameters, the chosen fused model's primary metric on validation and test, and how
 * BOMF fares on test against the best baseline (with the report's paired significance test).
 */

import type { ExperimentRow } from '../../contract/experiments-protocol';
import type { RunFold, TrialRecord } from '../../contract/fold';
import type { BaselineEvent } from '../../contract/fusion-events';
import type { DashboardRunState } from '../../contract/protocol';
import { elapsedSeconds } from '../../contract/timing';
import { compareOnTest } from '../../engine/report/significance';
import { methodLabel } from './results';

export interface RunForTable {
  runDir: string;
  /** runTitle of the run. */
  title: string;
  state: DashboardRunState;
  fold: RunFold;
}

/** The finished trial with the highest objective; the earliest one among equals. */
export function bestTrial(run: RunFold): TrialRecord | undefined {
  let best: TrialRecord | undefined;
  for (const t of run.trials.values()) {
    if (t.status !== 'done' || t.objective === undefined || !Number.isFinite(t.objective)) continue;
    if (
      !best ||
      t.objective > best.objective! ||
      (t.objective === best.objective && t.trial < best.trial)
    )
      best = t;
  }
  return best;
}

export function experimentRow(run: RunForTable, now: number): ExperimentRow {
  const fold = run.fold;
  const row: ExperimentRow = {
    runDir: run.runDir,
    title: run.title,
    state: run.state,
    startedAt: fold.startedAt,
    durationSeconds: elapsedSeconds(fold, now),
    params: { ...(bestTrial(fold)?.params ?? {}) },
  };
  const bomf = fold.baselines.get('bomf') ?? fold.selection;
  // The primary metric comes first in every evaluation (metrics follow data.metrics' order).
  const metric = fold.metricName ?? Object.keys(bomf?.validation.metrics ?? {})[0];
  if (metric === undefined) return row;
  row.metric = metric;
  row.validation = bomf?.validation.metrics[metric];
  row.test = bomf?.test?.metrics[metric];
  let best: { test: number; event: BaselineEvent } | undefined;
  for (const b of fold.baselines.values()) {
    const value = b.test?.metrics[metric];
    if (b.name === 'bomf' || value === undefined || !Number.isFinite(value)) continue;
    // Strictly better only: among tied baselines the first reported is named.
    if (!best || value > best.test) best = { test: value, event: b };
  }
  if (!best) return row;
  row.bestBaseline = methodLabel(best.event.name);
  row.bestBaselineTest = best.test;
  if (row.test !== undefined) {
    row.difference = row.test - best.test;
    row.verdict = compareOnTest(best.event.name, bomf?.test, best.event.test, metric)?.verdict;
  }
  return row;
}
