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

/**
 * Lets pending signal handlers run (a macrotask turn), then throws RunStopped if
 * the run was asked to stop. Called between units of work.
 */
export async function throwIfStopped(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new RunStopped();
}

/** Name of the primary metric (stage-1 objective, selection). */
export function primaryMetric(config: ResolvedConfig): string {
  return config.data.metrics[0]!;
}
