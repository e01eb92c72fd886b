/**
 * Where a command trainer's jobs live in the run folder. Apart so that the
 * extension can find a trial's log folder without loading the lab.
 */
import * as path from 'node:path';

export const COMMAND_DIRS = { trials: 'trials', train: 'train', evals: 'evals' } as const;

/** A stage-1 trial's folder: params.json, stdout.log, stderr.log, metrics.jsonl, metrics.json. */
export function trialDir(runDir: string, trial: number): string {
  return path.join(runDir, COMMAND_DIRS.trials, `trial-${trial}`);
}
