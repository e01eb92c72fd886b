/**
 * One trainer command as a job of the run's executor: its folder (cleared and
 * redone on a rerun, so a job is idempotent), its parameters file, its argument
 * array with macros expanded, the live tail of its metrics.jsonl, and what a
 * failure says. The executor's id is kept in the folder (`job.json`), so after a
 * driver crash `bomf resume` reattaches to a command that still runs, or takes
 * the outcome of one that finished, instead of starting it twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../train/atomic-write';
import type { CommandTrainerConfig, TrainerRole } from '../../config/schema-execution';
import {
  type Executor,
  INFRASTRUCTURE_FAILURE_EXIT,
  JOB_FILES,
  type JobHandle,
  type JobSpec,
} from '../../executor/executor';
import { stderrTail } from '../../executor/job-output';
import { InfrastructureFailure, JobFailed, type JobHooks, RunStopped } from '../../pipeline/lab';
import { METRICS_STREAM, type MetricsLine, MetricsTail, OutputError } from './outputs';

export const PARAMS_FILE = 'params.json';
const JOB_RECORD = 'job.json';
const POLL_MS = 250;

export interface CommandJob {
  role: TrainerRole;
  /** Unique within the run: 'trial-3', 'train', 'eval-validation-…'. */
  name: string;
  dir: string;
  /** Written to params.json; `hyperparameters` also feeds ${args}. */
  params: { hyperparameters?: object; [key: string]: unknown };
  /** Values of the role's own macros (model_dir, split). */
  macros?: Record<string, string>;
}

export interface JobWatch {
  /** Metrics lines as the command appends them. */
  onLines(lines: MetricsLine[]): void;
  signal?: AbortSignal;
  /** Reattach to the job a previous driver started here (false: always start afresh). */
  reattach: boolean;
  /** Makes the job's inputs (a fused model) before a fresh start; a reattached job has them. */
  prepare?(): Promise<void>;
  /** A unit the pipeline runs in a slot: the job's life goes to the event log (side panel). */
  job?: JobHooks;
}

/** W&B's ${args}: every hyperparameter as `--name value`. */
function argsOf(params: CommandJob['params']): string[] {
  return Object.entries(params.hyperparameters ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]);
}

export class CommandRunner {
  constructor(
    private readonly trainer: CommandTrainerConfig,
    private readonly baseDir: string,
    private readonly executor: Executor,
  ) {}

  spec(job: CommandJob): JobSpec {
    const paramsFile = path.join(job.dir, PARAMS_FILE);
    const values: Record<string, string> = {
      python: this.trainer.python,
      params_file: paramsFile,
      out_dir: job.dir,
      ...job.macros,
    };
    const argv = this.trainer[job.role].flatMap((arg) =>
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the W&B macro, matched literally
      arg === '${args}'
        ? argsOf(job.params)
        : [arg.replace(/\$\{(\w+)\}/g, (m, name: string) => values[name] ?? m)],
    );
    const env: Record<string, string> = {
      ...this.trainer.env,
      BOMF_ROLE: job.role,
      BOMF_PARAMS_FILE: paramsFile,
      BOMF_OUT_DIR: job.dir,
    };
    if (job.macros?.model_dir) env.BOMF_MODEL_DIR = job.macros.model_dir;
    if (job.macros?.split) env.BOMF_SPLIT = job.macros.split;
    return {
      name: job.name,
      argv,
      cwd: path.resolve(this.baseDir, this.trainer.cwd ?? '.'),
      env,
      dir: job.dir,
      timeoutSeconds: this.trainer.timeoutSeconds,
    };
  }

  /** The job of an earlier driver: by its recorded id, else one whose record it never wrote. */
  private async reattached(spec: JobSpec): Promise<JobHandle | undefined> {
    let id: string;
    try {
      id = (JSON.parse(fs.readFileSync(path.join(spec.dir, JOB_RECORD), 'utf8')) as { id: string })
        .id;
    } catch {
      return this.executor.recover?.(spec);
    }
    return this.executor.reattach(spec, id);
  }

  private async start(job: CommandJob, spec: JobSpec, watch: JobWatch): Promise<JobHandle> {
    fs.rmSync(job.dir, { recursive: true, force: true });
    await watch.prepare?.();
    fs.mkdirSync(job.dir, { recursive: true });
    writeFileAtomic(path.join(job.dir, PARAMS_FILE), `${JSON.stringify(job.params, null, 2)}\n`);
    const handle = await this.executor.submit(spec);
    writeFileAtomic(path.join(job.dir, JOB_RECORD), JSON.stringify({ id: handle.id }));
    return handle;
  }

  /**
   * Runs the job to its end, feeding metrics lines to `watch` as they appear.
   * Throws JobFailed (with the stderr tail) when the command fails or writes a
   * bad line, RunStopped when `watch.signal` aborts (the job is then cancelled
   * and forgotten, so a resume starts it afresh).
   */
  async run(job: CommandJob, watch: JobWatch): Promise<void> {
    const spec = this.spec(job);
    const earlier = watch.reattach ? await this.reattached(spec) : undefined;
    const handle = earlier ?? (await this.start(job, spec, watch));
    const report = watch.job?.onJob ?? (() => {});
    report({ jobId: handle.id, state: 'queued', ...(earlier ? { reattached: true } : {}) });
    const tail = new MetricsTail(path.join(job.dir, METRICS_STREAM));
    let ended = false;
    void handle.ended.then(() => {
      ended = true;
    });
    // A job queued on Slurm has not started until its wrapper writes `started`.
    let running = false;
    const reportRunning = () => {
      if (running || !fs.existsSync(path.join(job.dir, JOB_FILES.started))) return;
      running = true;
      report({ jobId: handle.id, state: 'running' });
    };
    const reportEnd = async () => {
      const end = await handle.ended;
      report({
        jobId: handle.id,
        state: 'ended',
        ...(end.kind === 'exited' ? { exitCode: end.code } : { reason: end.reason }),
      });
    };
    // Nothing left to find this job by (its record, submission name or started file): a resume
    // starts it afresh.
    const forget = () => {
      for (const f of [JOB_RECORD, JOB_FILES.submission, JOB_FILES.started]) {
        fs.rmSync(path.join(job.dir, f), { force: true });
      }
    };
    // A failure seen here is final for this attempt: a resume starts the job afresh.
    const fail = async (message: string): Promise<never> => {
      await handle.cancel();
      forget();
      await reportEnd();
      throw new JobFailed(message, stderrTail(job.dir));
    };
    const pump = async () => {
      try {
        watch.onLines(tail.poll());
      } catch (err) {
        if (err instanceof OutputError) await fail(err.message);
        throw err;
      }
    };
    while (!ended) {
      if (watch.signal?.aborted) {
        await handle.cancel();
        forget();
        throw new RunStopped();
      }
      reportRunning();
      await pump();
      await Promise.race([handle.ended, sleep(POLL_MS)]);
    }
    reportRunning();
    await pump();
    const end = await handle.ended;
    const command = spec.argv.slice(0, 2).join(' ');
    if (end.kind === 'killed')
      await fail(`the ${job.role} command (${command}) ended: ${end.reason}`);
    if (end.kind === 'exited' && end.code === INFRASTRUCTURE_FAILURE_EXIT) {
      // The protocol's "not my fault, try again later" (EX_TEMPFAIL): no GPU free, a lost file
      // system. Recorded as a failed trial it would mislead the search: the run fails, resumably.
      forget();
      await reportEnd();
      throw new InfrastructureFailure(
        `the ${job.role} command (${command}) exited with code ${end.code} (EX_TEMPFAIL): ` +
          'a temporary failure, so the run stops and the job runs again on resume',
        undefined,
        stderrTail(job.dir),
        `fix what the command's stderr says (${path.join(job.dir, 'stderr.log')})`,
      );
    }
    if (end.kind === 'exited' && end.code !== 0) {
      await fail(`the ${job.role} command (${command}) exited with code ${end.code}`);
    }
    await reportEnd();
  }
}

/** Reads a finished job's outputs; a bad or missing file fails the job with its stderr tail. */
export function readOutputs<T>(dir: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof OutputError) throw new JobFailed(err.message, stderrTail(dir));
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
