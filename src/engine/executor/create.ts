/**
 * The executor a run's config asks for. Every lab that runs work out of process
 * (the TF.js lab's trial/evaluation jobs, a user trainer's commands) takes its
 * executor from here, so one `executor:` section governs them all.
 */
import * as path from 'node:path';
import type { ResolvedConfig } from '../config';
import type { RunPaths } from '../store/run-folder';
import type { Executor } from './executor';
import { LocalExecutor } from './local';
import { SlurmExecutor } from './slurm';

export function createExecutor(config: ResolvedConfig, paths: RunPaths): Executor {
  // A run folder written before the executor section ran everything in one process.
  const { kind, ...opts } = config.executor ?? { kind: 'local', slots: 1, pollSeconds: 30 };
  if (kind === 'slurm') return new SlurmExecutor(opts, path.basename(paths.dir));
  return new LocalExecutor(opts.slots);
}
