/**
 * What to tell the user when a run stops running: finished (with its time and best metric),
 * failed (with the reason) or stopped. vscode-free; run-notifications.ts shows it.
 */
import { elapsedSeconds, formatDuration } from '../../contract/timing';
import { bestMetric, type RunModel, type RunState, runName } from './run-model';

export interface EndNotice {
  severity: 'info' | 'error';
  message: string;
  /** Offer "Show Error" (the run failed and the log says why). */
  showError: boolean;
}

/**
 * The notice for a run that went from `previous` to `state`; none unless it was running and
 * now has ended (an interrupted run may be a window reload, not an ending: no notice).
 */
export function endNotice(
  previous: RunState | undefined,
  state: RunState,
  model: RunModel,
): EndNotice | undefined {
  if (previous !== 'running' || state === 'running' || state === 'interrupted') return undefined;
  const name = runName(model);
  const elapsed = elapsedSeconds(model, Date.now());
  const took = elapsed !== undefined ? ` in ${formatDuration(elapsed)}` : '';
  switch (state) {
    case 'done': {
      const best = bestMetric(model);
      const result = best ? ` · ${best.label} ${best.value.toFixed(4)}` : '';
      return {
        severity: 'info',
        message: `BOMF: ${name} finished${took}${result}.`,
        showError: false,
      };
    }
    case 'failed':
      return {
        severity: 'error',
        message: `BOMF: ${name} failed${took}: ${model.lastError ?? 'see the run log'}`,
        showError: model.lastError !== undefined,
      };
    case 'stopped':
      return { severity: 'info', message: `BOMF: ${name} stopped${took}.`, showError: false };
    case 'unsupported':
      return undefined;
  }
}

/** 1-based line of the latest error event in events.jsonl (seq n is line n + 1). */
export function lastErrorLine(
  events: readonly { seq: number; type: string }[],
): number | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.type === 'error') return events[i]!.seq + 1;
  }
  return undefined;
}
