/**
 * Stage 2: fine-tune the full model with stage 1's best hyperparameters and
 * collect K checkpoints on the tail of training (BOMF: ~15 after 50%).
 * A run killed mid-stage continues after its last recorded checkpoint.
 */
import * as path from 'node:path';
import type { CheckpointEvent } from '../../contract/events';
import { checkpointsInOrder } from '../../contract/read-event-log';
import { resolveInRunFolder } from '../store/run-folder';
import type { RunContext } from './context';
import type { CollectedCheckpoint } from './lab';
import { bestHyperparameters } from './search-stage';

export function collectedCheckpoints(ctx: RunContext): CheckpointEvent[] {
  return checkpointsInOrder(ctx.log.ofType('checkpoint'));
}

/** A checkpoint event as the lab sees it (absolute file path). */
export function asCollected(ctx: RunContext, e: CheckpointEvent): CollectedCheckpoint {
  return {
    index: e.index,
    step: e.step,
    epoch: e.epoch,
    file: resolveInRunFolder(ctx.paths.dir, e.file, `checkpoint ${e.index}'s file`),
    validation: e.validation,
  };
}

export async function runTrainStage(ctx: RunContext): Promise<void> {
  const { config, log, lab, paths } = ctx;
  const count = config.train.checkpoints.count;
  const done = collectedCheckpoints(ctx);
  if (done.length >= count) return;
  const { params, trial } = bestHyperparameters(ctx);
  if (done.length === 0) {
    const source = trial === undefined ? 'the config (stage 1 found nothing)' : `trial ${trial}`;
    log.append({
      type: 'log',
      level: 'info',
      message: `fine-tuning with the hyperparameters of ${source}: ${JSON.stringify(params)}`,
    });
  }
  const epochs = config.train.epochs ?? params.epochs;
  const last = done[done.length - 1];
  await lab.fineTune(
    { ...params, epochs },
    { count, start: config.train.checkpoints.start, dir: paths.checkpoints },
    {
      onProgress: (p) => log.append({ type: 'train-progress', stage: 'train', ...p }),
      onEval: (e) => log.append({ type: 'train-eval', stage: 'train', ...e }),
      onCheckpoint: (c) =>
        log.append({
          type: 'checkpoint',
          index: c.index,
          step: c.step,
          epoch: c.epoch,
          file: path.relative(paths.dir, c.file),
          validation: c.validation,
        }),
    },
    ctx.signal,
    last && asCollected(ctx, last),
  );
  const collected = collectedCheckpoints(ctx).length;
  if (collected < count) {
    throw new Error(`stage 2 collected ${collected} of ${count} checkpoints; training ended early`);
  }
}
