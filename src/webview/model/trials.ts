/** Stage 1 view models: trial history with best-so-far, and hyperparameter-vs-objective scatter. */
import { type RunFold, type TrialRecord, trialsInOrder } from '../../contract/fold';

export interface TrialPoint {
  trial: number;
  objective: number;
  params: Record<string, number>;
  source: 'initial' | 'bo';
}

export interface TrialHistory {
  /** Finished trials with an objective, by trial number. */
  done: TrialPoint[];
  /** Failed trials, by trial number. */
  failed: { trial: number; error: string; params: Record<string, number> }[];
  /** Trials started and not ended. */
  running: number[];
  /**
   * Best objective so far (the stage-1 objective is maximized), one point per ended trial
   * from the first successful one on: a step line over the trial axis.
   */
  bestSoFar: { trial: number; best: number }[];
}

function hasObjective(t: TrialRecord): t is TrialRecord & { objective: number } {
  return t.status === 'done' && typeof t.objective === 'number' && Number.isFinite(t.objective);
}

export function trialHistory(run: RunFold): TrialHistory {
  const history: TrialHistory = { done: [], failed: [], running: [], bestSoFar: [] };
  let best = Number.NEGATIVE_INFINITY;
  for (const t of trialsInOrder(run)) {
    if (t.status === 'running') {
      history.running.push(t.trial);
      continue;
    }
    if (hasObjective(t)) {
      history.done.push({
        trial: t.trial,
        objective: t.objective,
        params: t.params,
        source: t.source,
      });
      best = Math.max(best, t.objective);
    } else {
      // A trial that ended 'done' without an objective counts as failed: nothing to plot.
      history.failed.push({ trial: t.trial, error: t.error ?? 'no objective', params: t.params });
    }
    if (best > Number.NEGATIVE_INFINITY) history.bestSoFar.push({ trial: t.trial, best });
  }
  return history;
}

export interface ParamScatter {
  name: string;
  /** Plot on a logarithmic axis (see `isLogScaled`). */
  log: boolean;
  points: { x: number; y: number; trial: number }[];
}

/**
 * Whether a hyperparameter was searched on a log scale, for logs that do not carry the
 * search space (written before stage-start had it): inferred from the values tried (every
 * trial, failed ones too): all positive and spanning at least a factor of 10. A Sobol design
 * over a log range spreads over orders of magnitude, which a linear range rarely does.
 */
export function isLogScaled(values: readonly number[]): boolean {
  if (values.length < 2 || values.some((v) => !(v > 0) || !Number.isFinite(v))) return false;
  return Math.max(...values) / Math.min(...values) >= 10;
}

/** One scatter per hyperparameter name (sorted), with the objective of finished trials. */
export function paramScatters(run: RunFold): ParamScatter[] {
  const trials = trialsInOrder(run);
  const names = new Set<string>();
  for (const t of trials) for (const name of Object.keys(t.params)) names.add(name);
  return [...names].sort().map((name) => {
    const tried = trials
      .map((t) => t.params[name])
      .filter((v): v is number => typeof v === 'number');
    const points = trials
      .filter(hasObjective)
      .filter((t) => typeof t.params[name] === 'number')
      .map((t) => ({ x: t.params[name]!, y: t.objective, trial: t.trial }));
    const searched = run.space?.find((p) => p.name === name);
    return { name, log: searched ? searched.log : isLogScaled(tried), points };
  });
}
