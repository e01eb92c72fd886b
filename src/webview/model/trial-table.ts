/** Stage 1 as a table: one row per trial, sortable by any column (Optuna's trials table). */
import { type RunFold, type TrialRecord, trialsInOrder } from '../../contract/fold';
import { type SortValue, sortByValue } from './sort-rows';

export interface TrialColumn {
  key: string;
  label: string;
  numeric: boolean;
}

const PARAM_PREFIX = 'param:';

/** Trial, source, status, objective, seconds, then every searched hyperparameter (by name). */
export function trialColumns(run: RunFold): TrialColumn[] {
  const names = new Set<string>();
  for (const s of run.space ?? []) names.add(s.name);
  for (const t of run.trials.values()) for (const p of Object.keys(t.params)) names.add(p);
  return [
    { key: 'trial', label: 'Trial', numeric: true },
    { key: 'source', label: 'Source', numeric: false },
    { key: 'status', label: 'Status', numeric: false },
    { key: 'objective', label: 'Objective', numeric: true },
    { key: 'seconds', label: 'Seconds', numeric: true },
    ...[...names].sort().map((n) => ({ key: PARAM_PREFIX + n, label: n, numeric: true })),
  ];
}

export function trialValue(t: TrialRecord, key: string): SortValue {
  if (key.startsWith(PARAM_PREFIX)) return t.params[key.slice(PARAM_PREFIX.length)];
  switch (key) {
    case 'trial':
      return t.trial;
    case 'source':
      return t.source;
    case 'status':
      return t.status;
    case 'objective':
      return t.objective;
    case 'seconds':
      return t.seconds;
    default:
      return undefined;
  }
}

/** Trials sorted by `key`; trials without a value (running, failed) last, ties by trial number. */
export function sortedTrials(run: RunFold, key: string, descending: boolean): TrialRecord[] {
  return sortByValue(
    trialsInOrder(run),
    (t) => trialValue(t, key),
    descending,
    (a, b) => a.trial - b.trial,
  );
}
