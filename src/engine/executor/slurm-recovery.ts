/**
 * Closing the window between `sbatch` and the event log. A driver killed after
 * `sbatch` has queued a job but before its `job` event is written leaves a unit
 * whose job runs, unknown to the log; submitting it again on resume would run
 * the unit twice. So, as workflow tools do, every submission gets a unique job
 * name, recorded in the job folder (`submission.json`, written atomically)
 * before `sbatch` runs; resume looks that name up in the queue (and in the
 * accounting, where there is one) and reattaches to what it finds.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../train/atomic-write';
import { JOB_FILES } from './executor';

/** The submission a driver was about to make: written before `sbatch`, never after. */
export interface SubmissionIntent {
  /** The job's unique name: the run id, the unit, a random token. */
  name: string;
}

/** What the cluster and the job folder know about a job submitted under an intent's name. */
export interface SubmissionTrace {
  /** Ids `squeue --states=all --name` lists (queued, running, or ended less than MinJobAge ago). */
  queue: string[];
  /** Ids `sacct --name` lists; empty where the cluster keeps no accounting. */
  accounting: string[];
  /** The id the job wrote into its `started` file, if it started. */
  startedAs?: string;
  /** Whether the job left its `exit-code` (it ran to its end). */
  exited: boolean;
}

/** A fresh unique job name for a unit of run `runId`. */
export function submissionName(runId: string, unit: string): string {
  return `${runId}-${unit}-${crypto.randomBytes(4).toString('hex')}`;
}

export function writeIntent(dir: string, intent: SubmissionIntent): void {
  writeFileAtomic(path.join(dir, JOB_FILES.submission), `${JSON.stringify(intent)}\n`);
}

export function readIntent(dir: string): SubmissionIntent | undefined {
  try {
    const intent = JSON.parse(fs.readFileSync(path.join(dir, JOB_FILES.submission), 'utf8'));
    return typeof intent?.name === 'string' ? intent : undefined;
  } catch {
    // None (never submitted, or by an engine before intents): nothing to recover.
    return undefined;
  }
}

/** The id the job wrote when it started (the batch script's $SLURM_JOB_ID), if any. */
export function startedAs(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, JOB_FILES.started), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The job to reattach to for a submission the log never recorded, or undefined
 * to submit the unit again: only when no trace of the job is found anywhere and
 * it left no exit code. A finished job's outcome is in its folder whatever its
 * id; where not even the job recorded one, its unique name stands in.
 */
export function recoveredJobId(
  intent: SubmissionIntent,
  trace: SubmissionTrace,
): string | undefined {
  const ids = [...trace.queue, ...trace.accounting, ...(trace.startedAs ? [trace.startedAs] : [])];
  // One name, one submission; should a cluster list it twice (array steps), the newest counts.
  const newest = ids.sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10))[0];
  if (newest !== undefined) return newest;
  return trace.exited ? intent.name : undefined;
}
