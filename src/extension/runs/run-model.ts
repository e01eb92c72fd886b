/**
 * A run as the host sees it: the contract's fold of its event log plus the folder it lives
 * in, and the host's readings of it (progress, best metric, lifecycle state). vscode-free so
 * the tree model and the tests can use it without an editor. Recomputed from the log as
 * events arrive and never written anywhere.
 */
import { type BomfEvent, STAGES } from '../../contract/events';
import { emptyRunFold, foldEvents as foldRunEvents, type RunFold } from '../../contract/fold';
import { type RunAnnotations, runTitle } from '../../contract/run-identity';

export type { StageStatus } from '../../contract/fold';

export interface RunModel extends RunFold {
  readonly runDir: string;
  /** The user's label and notes (annotations.jsonl in the run folder). */
  annotations: RunAnnotations;
}

/** A model with no events folded in. */
export function emptyRunModel(runDir: string): RunModel {
  return { ...emptyRunFold(), runDir, annotations: { notes: [] } };
}

/** Folds `events` into `model` (mutated; events already folded, by seq, are skipped) and returns it. */
export function foldEvents(model: RunModel, events: Iterable<BomfEvent>): RunModel {
  foldRunEvents(model, events);
  return model;
}

/**
 * The run's name everywhere it is shown: the user's label if any, the config's name (else
 * the folder's), a short id and the start time.
 */
export function runName(model: RunModel): string {
  const folder = model.runDir.split(/[\\/]/).filter(Boolean).pop() ?? model.runDir;
  return runTitle({
    name: model.start?.name ?? folder,
    runId: model.start?.runId ?? folder,
    startedAt: model.startedAt,
    label: model.annotations.label,
  });
}

/** Overall progress in [0, 1]: each stage counts equally, the running one by its fraction. */
export function runProgress(model: RunModel): number {
  let sum = 0;
  for (const stage of STAGES) {
    const s = model.stages[stage];
    if (s.status === 'done' || s.status === 'skipped') sum += 1;
    else if (s.status === 'running' && s.total > 0) sum += Math.min(1, s.completed / s.total);
  }
  return sum / STAGES.length;
}

/** The best value of the primary metric known so far, with where it comes from. */
export function bestMetric(model: RunModel): { label: string; value: number } | undefined {
  const metric = model.metricName;
  if (model.selection && metric !== undefined) {
    const value = model.selection.validation.metrics[metric];
    if (value !== undefined) return { label: `BOMF val ${metric}`, value };
  }
  const objectives = [...model.trials.values()]
    .map((t) => t.objective)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (objectives.length === 0) return undefined;
  return { label: `best trial ${metric ?? 'objective'}`, value: Math.max(...objectives) };
}

export type RunState = 'running' | 'done' | 'failed' | 'stopped' | 'interrupted' | 'unsupported';

/**
 * What the user sees: the log's status, except that a log without a run-end whose engine
 * process is gone is an interrupted run (killed, crashed, or the machine went down) that
 * `bomf resume` can continue, and a log of an unknown schema is refused outright.
 */
export function runState(model: RunModel, engineAlive: boolean): RunState {
  if (model.unsupported !== undefined) return 'unsupported';
  if (model.status !== 'running') return model.status;
  return engineAlive ? 'running' : 'interrupted';
}

/**
 * The reason a run failed while setting up, before any stage started (its data, model or
 * backend): resuming it repeats the same setup with the same frozen config, so it cannot
 * succeed; the fix is in the config or its files, and a new run.
 */
export function setupFailure(model: RunModel): string | undefined {
  if (model.status !== 'failed') return undefined;
  if (STAGES.some((stage) => model.stages[stage].status !== 'pending')) return undefined;
  return model.problems.filter((p) => p.fatal).at(-1)?.message ?? model.lastError;
}

/** Whether Resume can help: the run was interrupted, stopped, or failed after its setup succeeded. */
export function canResume(model: RunModel, state: RunState): boolean {
  const ended = state === 'interrupted' || state === 'stopped' || state === 'failed';
  return ended && setupFailure(model) === undefined;
}
