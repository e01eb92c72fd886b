/**
 * Jobs as process groups on this machine. Each job runs under a tiny POSIX `sh`
 * wrapper that waits for the program and writes its exit status to `exit-code`
 * (atomically, via rename), so a job that outlives a killed driver still leaves
 * its outcome, and `bomf resume` reattaches to it by pid instead of starting it
 * twice — the same contract as a Slurm job.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isProcessAlive, processStartTicks } from '../store/process-identity';
import { type Executor, JOB_FILES, type JobEnd, type JobHandle, type JobSpec } from './executor';

/** Grace between SIGTERM and SIGKILL, long enough for a trainer to save. */
const DEFAULT_GRACE_MS = 10_000;
const POLL_MS = 200;

/**
 * `$@` is the program and its arguments, passed as argv (never parsed by the
 * shell). `trap` forwards a TERM to the program so that it can save first.
 */
export const WRAPPER = [
  // Who runs it, so that a job whose submission the log missed can be found: here the wrapper's
  // pid (its process group's), on a cluster the job id.
  'if [ -n "$BOMF_LOCAL_JOB" ]; then printf "local:%s" "$$"; else printf "%s" "$SLURM_JOB_ID"; fi > "$BOMF_JOB_DIR/started"',
  'f="$BOMF_JOB_DIR/exit-code"',
  '"$@" & child=$!',
  "trap 'kill -TERM $child 2>/dev/null' TERM INT",
  'wait $child; code=$?',
  // A wait interrupted by the trap returns early; wait again for the real status.
  'while kill -0 $child 2>/dev/null; do wait $child; code=$?; done',
  // `1<>` writes into the bytes prepareJobFolder reserved (no truncation, so no new space).
  `printf "%-3s\\n" "$code" 1<> "$f.tmp" && mv "$f.tmp" "$f"`,
].join('\n');

/** Three spaces and a newline: room for any exit status (0–255), written over in place. */
const EXIT_CODE_RESERVE = '   \n';

/**
 * Readies a job's folder for a new submission: the previous outcome removed, and
 * the bytes of the new one reserved (see JOB_FILES.exitCodeReserve), so that a
 * job that runs the disk full can still say so. Throws ENOSPC when it is full already.
 */
export function prepareJobFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of [JOB_FILES.exitCode, JOB_FILES.started]) {
    fs.rmSync(path.join(dir, f), { force: true });
  }
  fs.writeFileSync(path.join(dir, JOB_FILES.exitCodeReserve), EXIT_CODE_RESERVE);
}

export function readExitCode(dir: string): JobEnd | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, JOB_FILES.exitCode), 'utf8').trim();
  } catch {
    return undefined;
  }
  const code = Number(text);
  if (!Number.isInteger(code)) return { kind: 'killed', reason: `unreadable exit code '${text}'` };
  // sh reports death by signal N as 128 + N.
  if (code > 128) return { kind: 'killed', reason: `killed by signal ${code - 128}` };
  return { kind: 'exited', code };
}

export class LocalExecutor implements Executor {
  readonly kind = 'local';

  constructor(
    readonly slots: number,
    private readonly graceMs = DEFAULT_GRACE_MS,
  ) {}

  async submit(spec: JobSpec): Promise<JobHandle> {
    prepareJobFolder(spec.dir);
    const out = fs.openSync(path.join(spec.dir, JOB_FILES.stdout), 'a');
    const err = fs.openSync(path.join(spec.dir, JOB_FILES.stderr), 'a');
    try {
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'bomf-job', ...spec.argv], {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env, BOMF_JOB_DIR: spec.dir, BOMF_LOCAL_JOB: '1' },
        stdio: ['ignore', out, err],
        // Its own process group, so a cancel reaches the trainer's children too.
        detached: true,
      });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid!));
        child.once('error', reject);
      });
      child.unref();
      return this.handle(spec, pid, processStartTicks(pid));
    } finally {
      fs.closeSync(out);
      fs.closeSync(err);
    }
  }

  async reattach(spec: JobSpec, id: string): Promise<JobHandle | undefined> {
    const [pidText, ticks] = id.split(':');
    const pid = Number(pidText);
    const finished = readExitCode(spec.dir);
    if (finished) return { id, ended: Promise.resolve(finished), cancel: async () => {} };
    if (!isProcessAlive(pid, ticks || undefined)) return undefined;
    return this.handle(spec, pid, ticks);
  }

  /**
   * This folder's latest job, whose pid never reached the log (the driver was killed between
   * starting it and recording it), from the `started` file its wrapper wrote: its outcome if it
   * ended, else the process, if that is alive and runs for this folder (a reused pid is not).
   * A caller that wants a unit run afresh removes `started` (or submits: that clears it).
   */
  async recover(spec: JobSpec): Promise<JobHandle | undefined> {
    let started: string;
    try {
      started = fs.readFileSync(path.join(spec.dir, JOB_FILES.started), 'utf8');
    } catch {
      return undefined;
    }
    const pid = Number(/^local:(\d+)$/.exec(started)?.[1]);
    if (!Number.isInteger(pid)) return undefined;
    const finished = readExitCode(spec.dir);
    if (finished)
      return { id: String(pid), ended: Promise.resolve(finished), cancel: async () => {} };
    if (!runsFor(pid, spec.dir)) return undefined;
    return this.handle(spec, pid, processStartTicks(pid));
  }

  private handle(spec: JobSpec, pid: number, ticks: string | undefined): JobHandle {
    const alive = () => isProcessAlive(pid, ticks);
    let cancelReason: string | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const cancel = async (reason = 'cancelled') => {
      if (!alive()) return;
      cancelReason ??= reason;
      signalGroup('SIGTERM');
      const deadline = Date.now() + this.graceMs;
      while (alive() && Date.now() < deadline) await sleep(POLL_MS);
      if (alive()) signalGroup('SIGKILL');
    };
    const timeout =
      spec.timeoutSeconds === undefined
        ? undefined
        : setTimeout(
            () => void cancel(`timed out after ${spec.timeoutSeconds} s`),
            spec.timeoutSeconds * 1000,
          );
    const ended = (async (): Promise<JobEnd> => {
      // Polling, not the child's 'exit' event: a reattached job is not our child.
      while (alive()) await sleep(POLL_MS);
      if (timeout) clearTimeout(timeout);
      const end = readExitCode(spec.dir);
      if (cancelReason) return { kind: 'killed', reason: cancelReason };
      return end ?? { kind: 'killed', reason: 'the job ended without writing its exit code' };
    })();
    return { id: ticks ? `${pid}:${ticks}` : String(pid), ended, cancel: () => cancel() };
  }
}

/** Whether process `pid` is a job wrapper started for `dir` (a reused pid is someone else). */
function runsFor(pid: number, dir: string): boolean {
  try {
    return fs
      .readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .includes(`BOMF_JOB_DIR=${dir}`);
  } catch {
    // Gone, or no /proc to tell (macOS): not provably ours.
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
