/**
 * Jobs as Slurm batch jobs, submitted the way mature workflow tools do it:
 * `sbatch --parsable`, every job named after the run, its stdout/stderr in its
 * own folder. The job runs the same `sh` wrapper as a local job, so it writes
 * `exit-code` into its folder on the shared filesystem when it ends; that file
 * is the truth. `squeue` forgets finished jobs after MinJobAge and many clusters
 * have no `sacct`, so the queue is asked only now and then (`pollSeconds`), to
 * notice a job that died without writing the file (node failure, cancel before
 * it started, time limit hit while the wrapper was killed).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../../train/atomic-write';
import { type Executor, JOB_FILES, type JobEnd, type JobHandle, type JobSpec } from './executor';
import { prepareJobFolder, readExitCode, sleep, WRAPPER } from './local';
import {
  readIntent,
  recoveredJobId,
  startedAs,
  submissionName,
  writeIntent,
} from './slurm-recovery';

const run = promisify(execFile);

export interface SlurmOptions {
  slots: number;
  partition?: string;
  account?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  gres?: string;
  sbatchArgs?: string[];
  setup?: string;
  pollSeconds: number;
}

/** How often the job folder is looked at: a file stat, cheap even on NFS. */
const FILE_POLL_MS = 500;
/** After squeue says a job is gone, wait this long for its exit-code to show (NFS attribute caches). */
const FILE_GRACE_MS = 5_000;

/** States after which a Slurm job runs no more (squeue --states=all shows them until MinJobAge). */
const FINAL_STATES = new Set([
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
]);

/** Single-quotes a word for sh. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The batch script: the user's setup line, the environment, then the wrapper around the program. */
export function batchScript(spec: JobSpec, setup: string | undefined): string {
  const env = { ...spec.env, BOMF_JOB_DIR: spec.dir };
  return [
    '#!/bin/sh',
    `# bomf job ${spec.name}`,
    ...(setup ? [setup] : []),
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `cd ${shellQuote(spec.cwd)} || exit 1`,
    `exec /bin/sh -c ${shellQuote(WRAPPER)} bomf-job ${spec.argv.map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
}

export class SlurmExecutor implements Executor {
  readonly kind = 'slurm';
  readonly slots: number;

  /** @param runId - prefixes every job name (then the unit and a token unique to the submission). */
  constructor(
    private readonly opts: SlurmOptions,
    private readonly runId: string,
  ) {
    this.slots = opts.slots;
  }

  private sbatchArgs(spec: JobSpec, name: string): string[] {
    const o = this.opts;
    const r = spec.resources ?? {};
    const args = [
      '--parsable',
      `--job-name=${name}`,
      `--output=${path.join(spec.dir, JOB_FILES.stdout)}`,
      `--error=${path.join(spec.dir, JOB_FILES.stderr)}`,
      '--open-mode=append',
      `--chdir=${spec.cwd}`,
    ];
    const cpus = o.cpusPerTask ?? r.cpus;
    const mem = o.mem ?? r.mem;
    const gres = o.gres ?? r.gres;
    if (o.partition) args.push(`--partition=${o.partition}`);
    if (o.account) args.push(`--account=${o.account}`);
    if (o.time) args.push(`--time=${o.time}`);
    else if (spec.timeoutSeconds) args.push(`--time=${Math.ceil(spec.timeoutSeconds / 60)}`);
    if (cpus) args.push(`--cpus-per-task=${cpus}`);
    if (mem) args.push(`--mem=${mem}`);
    if (gres) args.push(`--gres=${gres}`);
    return [...args, ...(o.sbatchArgs ?? [])];
  }

  async submit(spec: JobSpec): Promise<JobHandle> {
    prepareJobFolder(spec.dir);
    const script = path.join(spec.dir, 'job.sh');
    writeFileAtomic(script, batchScript(spec, this.opts.setup));
    // Recorded before sbatch: should the driver die before the log names the job, resume finds it.
    const name = submissionName(this.runId, spec.name);
    writeIntent(spec.dir, { name });
    let stdout: string;
    try {
      ({ stdout } = await run('sbatch', [...this.sbatchArgs(spec, name), script]));
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`sbatch refused job ${spec.name}: ${(e.stderr || e.message).trim()}`);
    }
    // --parsable prints 'id' or 'id;cluster'.
    const id = stdout.trim().split(';')[0]!;
    if (!/^\d+(_\d+)?$/.test(id)) throw new Error(`sbatch printed no job id: '${stdout.trim()}'`);
    return this.handle(spec, id);
  }

  async reattach(spec: JobSpec, id: string): Promise<JobHandle | undefined> {
    const finished = readExitCode(spec.dir);
    if (finished) return { id, ended: Promise.resolve(finished), cancel: async () => {} };
    const state = await this.queueState(id);
    // Unknown to the queue and no outcome: it vanished (or was forgotten); the caller submits again.
    if (state === undefined) return undefined;
    return this.handle(spec, id);
  }

  async recover(spec: JobSpec): Promise<JobHandle | undefined> {
    const intent = readIntent(spec.dir);
    if (!intent) return undefined;
    const queue = await this.idsNamed('squeue', ['-h', '--states=all', '-o', '%i'], intent.name);
    // The accounting only when the queue has forgotten (MinJobAge); many clusters have none.
    const accounting =
      queue.length > 0
        ? []
        : await this.idsNamed('sacct', ['-n', '-X', '-P', '-o', 'JobID'], intent.name);
    const id = recoveredJobId(intent, {
      queue,
      accounting,
      startedAs: startedAs(spec.dir),
      exited: fs.existsSync(path.join(spec.dir, JOB_FILES.exitCode)),
    });
    return id === undefined ? undefined : this.reattach(spec, id);
  }

  /** Job ids `command` lists for a job name; none when it fails (no accounting, a forgotten job). */
  private async idsNamed(command: string, args: string[], name: string): Promise<string[]> {
    try {
      const { stdout } = await run(command, [...args, `--name=${name}`]);
      return stdout
        .split('\n')
        .filter((line) => /^\d+(_\d+)?$/.test(line.trim()))
        .map((l) => l.trim());
    } catch {
      return [];
    }
  }

  /** The job's state per squeue, or undefined when squeue does not know it (any more). */
  private async queueState(id: string): Promise<string | undefined> {
    try {
      const { stdout } = await run('squeue', ['-h', '-j', id, '--states=all', '-o', '%T']);
      return stdout.trim().split('\n')[0] || undefined;
    } catch {
      // 'Invalid job id specified' once the job is forgotten; a failing squeue is treated alike.
      return undefined;
    }
  }

  private handle(spec: JobSpec, id: string): JobHandle {
    let cancelReason: string | undefined;
    const ended = (async (): Promise<JobEnd> => {
      let nextPoll = Date.now() + this.opts.pollSeconds * 1000;
      let goneSince: number | undefined;
      let lastState: string | undefined;
      for (;;) {
        const end = readExitCode(spec.dir);
        if (end) {
          if (cancelReason) return { kind: 'killed', reason: cancelReason };
          if (end.kind === 'killed') return { kind: 'killed', reason: await this.why(id, end) };
          return end;
        }
        if (goneSince !== undefined && Date.now() - goneSince > FILE_GRACE_MS) {
          return {
            kind: 'killed',
            reason:
              cancelReason ??
              (lastState
                ? `Slurm job ${id} ended as ${lastState} without writing its exit code`
                : `Slurm job ${id} vanished from the queue without writing its exit code`),
          };
        }
        if (goneSince === undefined && (Date.now() >= nextPoll || cancelReason)) {
          nextPoll = Date.now() + this.opts.pollSeconds * 1000;
          const state = await this.queueState(id);
          if (state === undefined || FINAL_STATES.has(state)) {
            lastState = state;
            goneSince = Date.now();
          }
        }
        await sleep(FILE_POLL_MS);
      }
    })();
    const cancel = async () => {
      cancelReason ??= 'cancelled';
      await run('scancel', [id]).catch(() => {});
      await ended;
    };
    return { id, ended, cancel };
  }

  /** A killed job's reason, naming a cancel from outside when the queue says so. */
  private async why(id: string, end: Extract<JobEnd, { kind: 'killed' }>): Promise<string> {
    // The wrapper writes exit-code as soon as the program dies, while Slurm may still be
    // cleaning up (COMPLETING): wait a little for the final state, which names a cancel.
    let state = await this.queueState(id);
    for (
      const deadline = Date.now() + FILE_GRACE_MS;
      state !== undefined && !FINAL_STATES.has(state) && Date.now() < deadline;
      state = await this.queueState(id)
    ) {
      await sleep(FILE_POLL_MS);
    }
    if (state === 'CANCELLED') return `Slurm job ${id} was cancelled outside bomf (scancel)`;
    return state ? `Slurm job ${id} ${state}: ${end.reason}` : `Slurm job ${id}: ${end.reason}`;
  }
}
