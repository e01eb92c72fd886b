/**
 * The hidden `__trial` and `__eval` commands: one stage-1 trial or one stage-3
 * evaluation, run as a job (see lab/tf-jobs.ts). Reads the unit from `job.json`
 * in the job folder, appends progress to `progress.jsonl`, writes `result.json`.
 * SIGTERM (a cancel, `scancel`) stops training at the next step; the job then
 * exits 143 like a process killed by it, writing no result. A write that fails
 * on a full disk (or a quota, a read-only or failing file system) exits
 * INFRASTRUCTURE_FAILURE_EXIT, writing no result either.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { describeWriteError, writeFileAtomic } from '../../train/atomic-write';
import { INFRASTRUCTURE_FAILURE_EXIT, infrastructureErrno, JOB_FILES } from '../executor/executor';
import {
  infrastructureCauseLine,
  JOB_INPUT,
  JOB_RESULT,
  type JobInput,
  type JobResult,
  type ProgressLine,
} from '../lab/tf-jobs';
import { loadTfLab } from '../lab/tf-lab';
import { RunStopped } from '../pipeline/lab';
import { openRunFolder } from '../store/run-folder';

const SIGTERM_EXIT = 143;

async function runUnit(runDir: string, jobDir: string, kind: JobInput['kind']): Promise<void> {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(SIGTERM_EXIT);
    controller.abort();
  };
  process.on('SIGTERM', stop);
  // A terminal's Ctrl-C reaches the whole process group; the driver decides what to do about it.
  process.on('SIGINT', () => {});
  const input = JSON.parse(fs.readFileSync(path.join(jobDir, JOB_INPUT), 'utf8')) as JobInput;
  if (input.kind !== kind)
    throw new Error(`${jobDir}/${JOB_INPUT} holds a ${input.kind}, not a ${kind}`);
  const progress = path.join(jobDir, JOB_FILES.progress);
  const emit = (line: ProgressLine) => {
    try {
      fs.appendFileSync(progress, `${JSON.stringify(line)}\n`);
    } catch (err) {
      throw describeWriteError(progress, err);
    }
  };
  const { config } = openRunFolder(runDir);
  const lab = await loadTfLab(config);
  let result: JobResult;
  try {
    if (input.kind === 'trial') {
      result = await lab.runTrial(
        input.params,
        input.proxy,
        {
          onProgress: (p) => emit({ type: 'progress', progress: p }),
          onEval: (e) => emit({ type: 'eval', evaluation: e }),
        },
        controller.signal,
      );
    } else {
      result = { evaluation: await lab.evaluateMix(input.members, input.weights, input.split) };
    }
  } catch (err) {
    if (err instanceof RunStopped) {
      process.exitCode = SIGTERM_EXIT;
      return;
    }
    // Not the unit's failure: runJobUnit turns it into the infrastructure exit code.
    if (infrastructureErrno(err)) throw err;
    result = { error: (err as Error).message };
    process.exitCode = 1;
  } finally {
    lab.dispose();
  }
  writeFileAtomic(path.join(jobDir, JOB_RESULT), JSON.stringify(result));
}

/**
 * Runs the unit; an I/O error that no unit gets past (a full disk) ends the job
 * with INFRASTRUCTURE_FAILURE_EXIT and its cause on stderr, for the driver to
 * fail the run with (see TfJobs).
 */
async function runJobUnit(runDir: string, jobDir: string, kind: JobInput['kind']): Promise<void> {
  // On a full disk the job's own log files cannot grow either: that must not crash it first.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  try {
    await runUnit(runDir, jobDir, kind);
  } catch (err) {
    const code = infrastructureErrno(err);
    if (code === undefined) throw err;
    try {
      fs.writeSync(2, `${infrastructureCauseLine(code, (err as Error).message)}\n`);
    } catch {
      // stderr.log is on the full disk too: the exit code alone says it.
    }
    process.exitCode = INFRASTRUCTURE_FAILURE_EXIT;
  }
}

export function registerJobWorkerCommands(program: Command): void {
  program
    .command('__trial', { hidden: true })
    .argument('<run-dir>')
    .argument('<job-dir>')
    .action((runDir: string, jobDir: string) => runJobUnit(runDir, jobDir, 'trial'));
  program
    .command('__eval', { hidden: true })
    .argument('<run-dir>')
    .argument('<job-dir>')
    .action((runDir: string, jobDir: string) => runJobUnit(runDir, jobDir, 'eval'));
}
