/**
 * One unit of work as a job, from submission (or reattachment to the job an
 * earlier driver queued) to its end: reports queued/running/ended for the event
 * log, streams the lines the job appends to its `progress.jsonl`, and cancels
 * the job when the run is stopped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type Executor,
  INFRASTRUCTURE_FAILURE_EXIT,
  JOB_FILES,
  type JobEnd,
  type JobHandle,
  type JobReport,
  type JobSpec,
} from './executor';
import { readExitCode, sleep } from './local';

const TAIL_MS = 500;

export interface JobWatch {
  /** Job id an earlier driver recorded for this unit. */
  recordedId?: string;
  /** The unit's last job was cancelled by the run's stop: submit anew, never reattach or recover it. */
  afresh?: boolean;
  onJob(e: JobReport): void;
  /** Each complete line the job appends to its progress file. */
  onLine?(line: string): void;
  signal: AbortSignal;
}

/** Reads the complete lines appended to a file since `offset`. */
function readLines(file: string, offset: number): { lines: string[]; offset: number } {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= offset) return { lines: [], offset };
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { lines: [], offset };
  }
  // A line still being written has no newline yet: leave it for the next read.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return {
    lines: complete.split('\n').filter((l) => l.trim() !== ''),
    offset: offset + Buffer.byteLength(complete),
  };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** A job that stopped because the run folder could not be written: its unit never finished, so it runs again. */
function endedOnInfrastructure(dir: string): boolean {
  const end = readExitCode(dir);
  return end?.kind === 'exited' && end.code === INFRASTRUCTURE_FAILURE_EXIT;
}

/**
 * Runs `spec` on `executor` to its end; never submits a unit whose recorded job is
 * still alive or finished, except one that ended on an infrastructure failure.
 */
export async function runJob(executor: Executor, spec: JobSpec, watch: JobWatch): Promise<JobEnd> {
  const progress = path.join(spec.dir, JOB_FILES.progress);
  let handle: JobHandle | undefined;
  if (!watch.afresh && !endedOnInfrastructure(spec.dir)) {
    if (watch.recordedId) handle = await executor.reattach(spec, watch.recordedId);
    // A later submission than the recorded one (or the first) the log missed: a kill after sbatch.
    handle ??= await executor.recover?.(spec);
  }
  const reattached = handle !== undefined;
  // A reattached job's earlier lines reached the log through the earlier driver.
  let offset = reattached ? fileSize(progress) : 0;
  if (!handle) {
    fs.mkdirSync(spec.dir, { recursive: true });
    fs.rmSync(progress, { force: true });
    handle = await executor.submit(spec);
  }
  const job = handle;
  watch.onJob({ jobId: job.id, state: 'queued', ...(reattached ? { reattached } : {}) });
  const onAbort = () => void job.cancel();
  if (watch.signal.aborted) onAbort();
  watch.signal.addEventListener('abort', onAbort);
  let running = false;
  let end: JobEnd | undefined;
  void job.ended.then((e) => {
    end = e;
  });
  const tail = () => {
    if (!running && fs.existsSync(path.join(spec.dir, JOB_FILES.started))) {
      running = true;
      watch.onJob({ jobId: job.id, state: 'running' });
    }
    const read = readLines(progress, offset);
    offset = read.offset;
    for (const line of read.lines) watch.onLine?.(line);
  };
  try {
    while (end === undefined) {
      tail();
      await Promise.race([job.ended, sleep(TAIL_MS)]);
    }
    tail();
  } finally {
    watch.signal.removeEventListener('abort', onAbort);
  }
  const succeeded = end.kind === 'exited' && end.code === 0;
  watch.onJob({
    jobId: job.id,
    state: 'ended',
    ...(end.kind === 'exited' ? { exitCode: end.code } : { reason: end.reason }),
    ...(watch.signal.aborted && !succeeded ? { stopped: true } : {}),
  });
  return end;
}
