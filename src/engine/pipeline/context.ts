import type { ResolvedConfig } from '../config';
import type { EventLog } from '../store/event-log';
import type { RunPaths } from '../store/run-folder';
import { type ModelLab, RunStopped } from './lab';

/** What every stage gets: the config, the log (its history is the run's state), the lab. */
export interface RunContext {
  config: ResolvedConfig;
  log: EventLog;
  paths: RunPaths;
  lab: ModelLab;
  signal: AbortSignal;
}

export function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw new RunStopped();
}

/** Name of the primary metric (stage-1 objective, selection). */
export function primaryMetric(config: ResolvedConfig): string {
  return config.data.metrics[0]!;
}
