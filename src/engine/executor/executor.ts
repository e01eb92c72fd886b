/**
 * Where out-of-process work runs: a stage-1 trial, a stage-2 fine-tune, one
 * evaluation of a fused model. Labs describe a job (argument array, folder,
 * environment); an executor starts it on this machine or on a cluster and tells
 * how it ended. The job's folder is the truth about its outcome: the executor
 * makes the job write `exit-code` there when it ends, so an outcome survives the
 * driver (`kill -9`, then `bomf resume` reattaches by the id in the event log).
 *
 * Naming follows Slurm's: a job has an id (a pid locally, a Slurm job id on a
 * cluster), a name (the run id plus the unit, e.g. `sst2-…-trial-3`), and its
 * stdout/stderr files in its folder.
 */

/** Resources a job asks for; a local executor ignores what it cannot enforce. */
export interface JobResources {
  cpus?: number;
  /** Memory, in Slurm's notation ('8G', '500M'). */
  mem?: string;
  /** Generic resources, in Slurm's notation ('gpu:1'). */
  gres?: string;
}

export interface JobSpec {
  /** Unique within the run: 'trial-3', 'train', 'eval-12'. */
  name: string;
  /** Program and arguments, run without a shell. */
  argv: string[];
  cwd: string;
  /** Added to the executor's environment (the driver's, locally). */
  env?: Record<string, string>;
  /** The job's own folder: `stdout.log`, `stderr.log` and `exit-code` are written here. */
  dir: string;
  /** Wall-clock limit; the job is stopped like a cancel once it passes. */
  timeoutSeconds?: number;
  resources?: JobResources;
}

export type JobEnd =
  /** The program exited by itself; `code` 0 is success. */
  | { kind: 'exited'; code: number }
  /** Ended by a signal, a timeout, a cancel (ours or a cluster's), or vanished without writing `exit-code`. */
  | { kind: 'killed'; reason: string };

/**
 * The exit code of a job that could not finish because of the machine, not of
 * its unit: writing to the run folder failed with one of INFRASTRUCTURE_ERRNOS
 * (a full disk, a quota, a read-only or failing file system). 75 is EX_TEMPFAIL
 * of sysexits.h, "try again later": the unit is not at fault, so the driver
 * fails the run (resumably) instead of recording a failed trial, and a resume
 * runs the unit again instead of reattaching to this outcome. Anything else a
 * job exits with is the unit's own failure.
 */
export const INFRASTRUCTURE_FAILURE_EXIT = 75;

/** Errno codes that mean the run folder cannot be written, whatever the unit does. */
export const INFRASTRUCTURE_ERRNOS: ReadonlySet<string> = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EIO',
]);

/** The errno code of an I/O error that no unit of work can get past (see INFRASTRUCTURE_ERRNOS). */
export function infrastructureErrno(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && INFRASTRUCTURE_ERRNOS.has(code) ? code : undefined;
}

export interface JobHandle {
  /** Pid locally, the Slurm job id on a cluster; recorded in the event log for reattaching. */
  readonly id: string;
  /** Settles once the job has ended; never rejects. */
  readonly ended: Promise<JobEnd>;
  /** Stops the job: SIGTERM to its process group, SIGKILL after the grace period (or `scancel`). */
  cancel(): Promise<void>;
}

export interface Executor {
  readonly kind: 'local' | 'slurm';
  /** How many jobs may run at once. */
  readonly slots: number;
  submit(spec: JobSpec): Promise<JobHandle>;
  /**
   * Reattaches to a job submitted before the driver restarted, by the id recorded
   * then. Resolves undefined when the job is gone without an outcome (the caller
   * submits it again); a job that ended while nobody watched yields its `exit-code`.
   */
  reattach(spec: JobSpec, id: string): Promise<JobHandle | undefined>;
  /**
   * Finds the job of a submission whose id never reached the event log (the
   * driver died between submitting and recording it); undefined when there is
   * none, or the executor cannot tell (then a unit may run twice after such a kill).
   */
  recover?(spec: JobSpec): Promise<JobHandle | undefined>;
}

/** A job's life as the event log records it (the `job` event, less its unit). */
export interface JobReport {
  jobId: string;
  /** queued: submitted or reattached; running: the job started; ended: it exited or was killed. */
  state: 'queued' | 'running' | 'ended';
  /** With 'queued': a job of an earlier driver picked up again, not a new submission. */
  reattached?: boolean;
  exitCode?: number;
  reason?: string;
  /** With 'ended': cancelled by the run's own stop (see the job event in contract/events.ts). */
  stopped?: boolean;
}

/** File names inside a job's folder. */
export const JOB_FILES = {
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  exitCode: 'exit-code',
  /**
   * Reserved by the driver before the job starts and overwritten in place when it
   * ends, then renamed to `exit-code`: recording the outcome needs no new space on
   * a disk that filled up while the job ran.
   */
  exitCodeReserve: 'exit-code.tmp',
  /** Written by the wrapper when the job begins (a queued Slurm job has not yet): `local:<pid>` or the Slurm job id. */
  started: 'started',
  /** Slurm: the unique name of the latest submission, written before `sbatch` (slurm-recovery.ts). */
  submission: 'submission.json',
  /** JSON lines the job appends as it goes (progress, evaluations); the driver tails them. */
  progress: 'progress.jsonl',
} as const;
