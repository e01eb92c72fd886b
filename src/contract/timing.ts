/**
 * Time read from the event log: how long a run has been going, how long its stages took,
 * and when the running stage should end at the rate observed so far. Pure, so the tree,
 * the status bar and the dashboard show the same numbers.
 */
import type { StageName } from './events';
import type { RunFold } from './fold';

/**
 * Seconds from the first run-start to the run-end (or `now` while it runs). A resumed run
 * counts the time it lay interrupted too: the log does not say when a killed engine died.
 */
export function elapsedSeconds(run: RunFold, now: number): number | undefined {
  if (run.startedAt === undefined) return undefined;
  const end = run.end ? Date.parse(run.end.time) : now;
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

/**
 * Fraction of the running stage done, in [0, 1]: finished units plus, in stages 1 and 2,
 * the fraction of the unit in progress read from its latest training step.
 */
export function stageFraction(run: RunFold, stage: StageName): number {
  const s = run.stages[stage];
  if (s.status === 'done' || s.status === 'skipped') return 1;
  const p = run.lastProgress;
  if (stage === 'train' && p?.stage === 'train' && p.totalSteps > 0) {
    return Math.min(1, p.step / p.totalSteps);
  }
  if (s.total <= 0) return 0;
  let units = s.completed;
  if (stage === 'search' && p?.stage === 'search' && p.trial !== undefined && p.totalSteps > 0) {
    if (run.trials.get(p.trial)?.status === 'running') units += Math.min(1, p.step / p.totalSteps);
  }
  return Math.min(1, units / s.total);
}

export interface StageEta {
  stage: StageName;
  /** Seconds until the running stage ends, at the rate it has gone so far. */
  secondsLeft: number;
}

/**
 * When the running stage should end: its elapsed time scaled by what is left of it. Only
 * once some of it is done (no rate before that), and never for a run that has ended.
 */
export function stageEta(run: RunFold, now: number): StageEta | undefined {
  const stage = run.currentStage;
  if (stage === undefined || run.end) return undefined;
  const s = run.stages[stage];
  if (s.status !== 'running' || s.startedAt === undefined) return undefined;
  const fraction = stageFraction(run, stage);
  const spent = (now - Date.parse(s.startedAt)) / 1000;
  if (fraction <= 0 || fraction >= 1 || spent <= 0) return undefined;
  return { stage, secondsLeft: (spent * (1 - fraction)) / fraction };
}

/** `45s`, `3m 20s`, `1h 02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `12m 30s elapsed · search ~3m 10s left`, for one line in a tree, status bar or header. */
export function timingLine(run: RunFold, now: number): string {
  const elapsed = elapsedSeconds(run, now);
  if (elapsed === undefined) return '';
  const eta = stageEta(run, now);
  const left = eta ? ` · ${eta.stage} ~${formatDuration(eta.secondsLeft)} left` : '';
  return `${formatDuration(elapsed)}${run.end ? '' : ' elapsed'}${left}`;
}
