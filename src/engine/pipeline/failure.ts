/**
 * What a failed run tells its user to do next, and the checks that say plainly,
 * before any work, why a run folder cannot be resumed. A resume hint is given
 * only where a resume can succeed: a run that diverged in stage 2 would diverge
 * again (resume replays the same steps with the same settings), and a full disk
 * (seen by the driver or by a job) must get space first.
 */
import type { BomfEvent } from '../../contract/events';
import { resolveMember } from '../../fusion/stream';
import { NonFiniteLossError } from '../../train/loop';
import { resolveInRunFolder } from '../store/run-folder';
import { InfrastructureFailure } from './lab';

/**
 * The line printed after a failure: how to continue, or why the run cannot be continued.
 * `setupOf` is the config file of a run that failed while setting up, before any stage
 * started (its data, model or backend): a resume repeats the same setup from the same frozen
 * config, so the fix belongs in the config or its files and then a new run, as the editor
 * says too (extension/runs/run-model.ts `setupFailure`, which offers no Resume).
 */
export function nextStep(
  error: Error,
  runDir: string,
  setupOf?: string,
): { resumable: boolean; hint: string } {
  const resume = `bomf resume ${runDir}`;
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof NonFiniteLossError) {
    return {
      resumable: false,
      hint:
        'this run cannot be resumed: resuming replays the same steps with the same settings and ' +
        'diverges again. Start a new run with a lower learning rate (hyperparameters.learningRate, ' +
        'or a lower search.parameters.learningRate.high) or with gradient clipping ' +
        '(hyperparameters.maxGradNorm).',
    };
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return {
      resumable: true,
      hint: `free some space on the disk of ${runDir}, then resume with: ${resume}`,
    };
  }
  if (code === 'EROFS' || code === 'EIO') {
    return {
      resumable: true,
      hint: `make the disk of ${runDir} writable again (check it for errors), then resume with: ${resume}`,
    };
  }
  if (error instanceof InfrastructureFailure && error.remedy) {
    return { resumable: true, hint: `${error.remedy}, then resume with: ${resume}` };
  }
  if (error instanceof InfrastructureFailure) {
    // The job could not even say which: all it knew is that it could not write.
    return {
      resumable: true,
      hint: `free some space on the disk of ${runDir} (or lift its quota, make it writable), then resume with: ${resume}`,
    };
  }
  if (setupOf !== undefined) {
    return {
      resumable: false,
      hint: `fix the config or the files it names, then start a new run: bomf run ${setupOf}`,
    };
  }
  return { resumable: true, hint: `resume with: ${resume}` };
}

/**
 * Throws, saying why the run cannot be resumed, when a file the log records as
 * finished is missing or cut short (a checkpoint written by an engine before
 * writes were checked for completeness): resuming would fail on it every time.
 */
export function checkRecordedFiles(runDir: string, events: readonly BomfEvent[]): void {
  for (const e of events) {
    if (e.type !== 'checkpoint') continue;
    let why: string | undefined;
    try {
      // A safetensors file (embedded trainer) or a model folder (command trainer): headers and sizes.
      resolveMember(resolveInRunFolder(runDir, e.file, 'checkpoint file'));
    } catch (err) {
      why = (err as Error).message;
    }
    if (why !== undefined) {
      throw new Error(
        `${runDir} cannot be resumed: checkpoint ${e.index} (event ${e.seq}) is unusable: ${why}. ` +
          'Its stage cannot be redone inside this run; start a new run.',
      );
    }
  }
}
