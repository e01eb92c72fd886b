/**
 * Where a stage-1 trial's job wrote its stdout.log and stderr.log, whichever lab ran
 * it: a command trainer's trial folder (`trials/trial-N/`), or the TF.js lab's job
 * folder (`jobs/trial-N/`, with several slots or on Slurm). A trial trained inside the
 * driver has none. Apart from the labs, so that the extension finds the logs
 * ("Open Trial Log") without loading one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JOB_FILES } from '../executor/executor';
import { trialDir } from './command/layout';

/** The folder of a TF.js lab's job (`trial-3`, `eval-7`). */
export function tfJobDir(runDir: string, unit: string): string {
  return path.join(runDir, 'jobs', unit);
}

/** The trial's stdout.log and stderr.log that exist, from the folder its job ran in. */
export function trialLogFiles(runDir: string, trial: number): string[] {
  for (const dir of [trialDir(runDir, trial), tfJobDir(runDir, `trial-${trial}`)]) {
    const logs = [JOB_FILES.stdout, JOB_FILES.stderr]
      .map((f) => path.join(dir, f))
      .filter((f) => fs.existsSync(f));
    if (logs.length > 0) return logs;
  }
  return [];
}
