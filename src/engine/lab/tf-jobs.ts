/**
 * The TF.js lab's out-of-process units: a stage-1 trial or a stage-3 evaluation
 * as a job on the run's executor (worker processes here, or Slurm jobs). The
 * driver writes the unit's input to `job.json` in the job folder and starts the
 * engine's hidden `__trial` / `__eval` command on it; the job builds its own lab
 * from the run folder, streams progress to `progress.jsonl` and writes
 * `result.json`. Everything goes through files in the run folder, so a job
 * outlives a killed driver and `bomf resume` picks up its result. A job that
 * could not write there (a full disk) fails the run, not its unit.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Evaluation } from '../../contract/events';
import { writeFileAtomic } from '../../train/atomic-write';
import {
  type Executor,
  INFRASTRUCTURE_FAILURE_EXIT,
  type JobEnd,
  type JobSpec,
} from '../executor/executor';
import { stderrTail } from '../executor/job-output';
import { runJob } from '../executor/run-job';
import {
  type Hyperparameters,
  InfrastructureFailure,
  JobFailed,
  type JobHooks,
  type ProxySpec,
  RunStopped,
  type Split,
  type TrainHooks,
} from '../pipeline/lab';
import { tfJobDir } from './trial-logs';

export type JobInput =
  | { kind: 'trial'; params: Hyperparameters; proxy: ProxySpec }
  | { kind: 'eval'; members: string[]; weights: number[]; split: Split };

export type JobResult =
  | { objective: number; bestStep: number }
  | { evaluation: Evaluation }
  | { error: string };

export type ProgressLine =
  | { type: 'progress'; progress: Parameters<TrainHooks['onProgress']>[0] }
  | { type: 'eval'; evaluation: Parameters<TrainHooks['onEval']>[0] };

export const JOB_INPUT = 'job.json';
export const JOB_RESULT = 'result.json';

/** How a job's stderr names an infrastructure failure, for the driver to quote. */
const CAUSE = /^bomf job: infrastructure failure \((E[A-Z]+)\): (.*)$/;

/** The stderr line of a job that stops on an infrastructure failure (job-worker.ts). */
export function infrastructureCauseLine(code: string, message: string): string {
  return `bomf job: infrastructure failure (${code}): ${message}`;
}

/** The run's failure for a job that exited INFRASTRUCTURE_FAILURE_EXIT: its cause, if stderr took it. */
export function infrastructureFailure(
  unit: string,
  tail: string | undefined,
): InfrastructureFailure {
  const cause = tail
    ?.split('\n')
    .map((line) => CAUSE.exec(line))
    .filter((m) => m !== null)
    .at(-1);
  if (cause) return new InfrastructureFailure(`job ${unit} stopped: ${cause[2]}`, cause[1], tail);
  return new InfrastructureFailure(
    `job ${unit} stopped because it could not write to the run folder ` +
      `(exit code ${INFRASTRUCTURE_FAILURE_EXIT}), and could not say why: ` +
      'the disk may be full, over quota, read-only or failing',
    undefined,
    tail,
  );
}

/** The script that starts the engine (bin/bomf.js or dist/engine.js), run again for each job. */
function engineEntry(): string {
  const entry = require.main?.filename;
  if (!entry) throw new Error('cannot locate the engine entry point to start jobs');
  return entry;
}

export class TfJobs {
  constructor(
    private readonly executor: Executor,
    private readonly runDir: string,
  ) {}

  get slots(): number {
    return this.executor.slots;
  }

  private spec(unit: string, command: '__trial' | '__eval', input: JobInput): JobSpec {
    const dir = tfJobDir(this.runDir, unit);
    // The input of a reattached job is already there and identical: the unit is the same.
    writeFileAtomic(path.join(dir, JOB_INPUT), JSON.stringify(input));
    return {
      name: unit,
      argv: [process.execPath, ...process.execArgv, engineEntry(), command, this.runDir, dir],
      cwd: this.runDir,
      dir,
      // One TF.js (wasm) process trains on one core.
      resources: { cpus: 1 },
    };
  }

  private async outcome(spec: JobSpec, end: JobEnd, signal: AbortSignal): Promise<JobResult> {
    if (end.kind === 'exited' && end.code === 0) {
      return JSON.parse(fs.readFileSync(path.join(spec.dir, JOB_RESULT), 'utf8')) as JobResult;
    }
    if (signal.aborted) throw new RunStopped();
    if (end.kind === 'exited' && end.code === INFRASTRUCTURE_FAILURE_EXIT) {
      throw infrastructureFailure(spec.name, stderrTail(spec.dir));
    }
    if (end.kind === 'killed') throw new JobFailed(end.reason, stderrTail(spec.dir));
    const result = path.join(spec.dir, JOB_RESULT);
    if (fs.existsSync(result)) return JSON.parse(fs.readFileSync(result, 'utf8')) as JobResult;
    throw new JobFailed(`job exited with code ${end.code}`, stderrTail(spec.dir));
  }

  async trial(
    params: Hyperparameters,
    proxy: ProxySpec,
    hooks: TrainHooks & { job?: JobHooks },
    signal: AbortSignal,
  ): Promise<{ objective: number; bestStep: number }> {
    const job = hooks.job;
    if (!job) throw new Error('a trial run as a job needs its unit name');
    const spec = this.spec(job.unit, '__trial', { kind: 'trial', params, proxy });
    const end = await runJob(this.executor, spec, {
      ...job,
      signal,
      onLine: (line) => {
        const m = JSON.parse(line) as ProgressLine;
        if (m.type === 'progress') hooks.onProgress(m.progress);
        else hooks.onEval(m.evaluation);
      },
    });
    const result = await this.outcome(spec, end, signal);
    if ('error' in result) throw new Error(result.error);
    if (!('objective' in result)) throw new Error(`trial job ${job.unit} wrote no objective`);
    return result;
  }

  async evaluate(
    members: string[],
    weights: number[],
    split: Split,
    job: JobHooks & { signal: AbortSignal },
  ): Promise<Evaluation> {
    const spec = this.spec(job.unit, '__eval', { kind: 'eval', members, weights, split });
    const end = await runJob(this.executor, spec, job);
    const result = await this.outcome(spec, end, job.signal);
    if ('error' in result) throw new Error(result.error);
    if (!('evaluation' in result)) throw new Error(`evaluation job ${job.unit} wrote no result`);
    return result.evaluation;
  }
}
