/**
 * The lab for a trainer you bring: every unit of work is one of your commands
 * (docs/trainer-protocol.md), run as a job of the run's executor in its own
 * folder under the run folder — `trials/trial-N/`, `train/`, `evals/…/` — with
 * its params.json, stdout.log, stderr.log and outputs. Fused models are made by
 * streaming safetensors fusion and scored by your `evaluate` command.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Evaluation } from '../../../contract/events';
import type { ResolvedConfig } from '../../config';
import type { CommandTrainerConfig } from '../../config/schema-execution';
import type { Executor } from '../../executor/executor';
import type {
  CheckpointPlan,
  CollectedCheckpoint,
  Hyperparameters,
  JobHooks,
  ModelLab,
  ProxySpec,
  Split,
  TrainHooks,
} from '../../pipeline/lab';
import type { RunPaths } from '../../store/run-folder';
import { type TrainerData, writeTrainerData } from './data';
import { CommandRunner, readOutputs } from './job';
import { COMMAND_DIRS, trialDir } from './layout';
import { evaluationOf, type MetricsLine, OutputError, readMetricsFile } from './outputs';

/** Fuses model folders Σ w_k θ_k into a new folder (src/fusion/stream). */
export type FuseFolders = (
  memberDirs: string[],
  weights: number[],
  outDir: string,
) => Promise<void>;

/** Files that make a folder a checkpoint: full weights (single or sharded) or a PEFT adapter. */
const WEIGHT_FILES = [
  'model.safetensors',
  'model.safetensors.index.json',
  'adapter_model.safetensors',
];

/** Progress and validation lines go to the pipeline's hooks, as the embedded trainer's do. */
function feed(hooks: TrainHooks, line: MetricsLine): void {
  if (line.loss !== undefined) {
    hooks.onProgress({
      step: line.step,
      totalSteps: line.totalSteps ?? 0,
      epoch: line.epoch,
      loss: line.loss,
      learningRate: line.learningRate ?? 0,
    });
  }
  if (line.metrics) {
    const { loss, ...metrics } = line.metrics;
    hooks.onEval({
      step: line.step,
      epoch: line.epoch,
      validation: { loss: loss ?? Number.NaN, metrics },
    });
  }
}

export class CommandLab implements ModelLab {
  readonly backend = 'command';
  private readonly runner: CommandRunner;
  /** Stage-1 trials and stage-3 evaluations run as this many jobs at once. */
  readonly slots: number;
  readonly evaluationSlots: number;

  constructor(
    trainer: CommandTrainerConfig,
    private readonly config: ResolvedConfig,
    private readonly paths: RunPaths,
    private readonly data: TrainerData,
    executor: Executor,
    private readonly fuse: FuseFolders,
  ) {
    this.runner = new CommandRunner(trainer, config.baseDir, executor);
    this.slots = executor.slots;
    this.evaluationSlots = executor.slots;
  }

  private validationRows?: number;

  /** Examples in the validation split: lines of the file the trainers read. */
  get validationSize(): number {
    this.validationRows ??= fs
      .readFileSync(this.data.validation, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0).length;
    return this.validationRows;
  }

  /** What every params.json holds. */
  private common() {
    const source = this.config.model.source;
    return {
      seed: this.config.seed,
      model: source === 'embedded' ? source : path.resolve(this.config.baseDir, source),
      data: this.data,
    };
  }

  async runTrial(
    params: Hyperparameters,
    proxy: ProxySpec,
    hooks: TrainHooks & { job?: JobHooks },
    signal: AbortSignal,
    trial?: number,
  ): Promise<{ objective: number; bestStep: number }> {
    if (trial === undefined)
      throw new Error('a command trainer needs the trial number (its folder)');
    const dir = trialDir(this.paths.dir, trial);
    let lastStep = 0;
    await this.runner.run(
      {
        role: 'trial',
        name: `trial-${trial}`,
        dir,
        params: {
          ...this.common(),
          role: 'trial',
          trial,
          hyperparameters: params,
          proxy,
          evalEvery: this.config.search.evalEvery ?? null,
        },
      },
      {
        reattach: true,
        signal,
        job: hooks.job,
        onLines: (lines) =>
          lines.forEach((line) => {
            lastStep = line.step;
            feed(hooks, line);
          }),
      },
    );
    return readOutputs(dir, () => {
      const values = readMetricsFile(dir);
      const metric = this.config.data.metrics[0]!;
      const objective = values[metric];
      if (objective === undefined) {
        throw new OutputError(
          `${path.join(dir, 'metrics.json')} lacks the objective '${metric}' (found: ${Object.keys(values).join(', ') || 'nothing'})`,
        );
      }
      if (!Number.isFinite(objective)) {
        throw new OutputError(`the objective '${metric}' in metrics.json is ${objective}`);
      }
      return { objective, bestStep: values.step ?? lastStep };
    });
  }

  async fineTune(
    params: Hyperparameters,
    plan: CheckpointPlan,
    hooks: TrainHooks & { onCheckpoint(c: CollectedCheckpoint): void },
    signal: AbortSignal,
    resumeFrom?: CollectedCheckpoint,
  ): Promise<void> {
    const dir = path.join(this.paths.dir, COMMAND_DIRS.train);
    let next = resumeFrom ? resumeFrom.index + 1 : 0;
    // On a reattach the stream is read from its start: what was recorded is skipped.
    const recordedStep = resumeFrom?.step ?? Number.NEGATIVE_INFINITY;
    const collect = (line: MetricsLine & { checkpoint: string }) => {
      const where = `${path.join(dir, 'metrics.jsonl')} (checkpoint at step ${line.step})`;
      const validation = evaluationOf(line.metrics ?? {}, this.config.data.metrics, where);
      const from = path.resolve(dir, line.checkpoint);
      const to = path.join(plan.dir, `ckpt-${String(next).padStart(2, '0')}`);
      // A move whose event a killed driver never wrote has left `to` and no `from`.
      if (fs.existsSync(from) || !fs.existsSync(to)) {
        if (!WEIGHT_FILES.some((f) => fs.existsSync(path.join(from, f)))) {
          throw new OutputError(`${where}: ${from} holds none of ${WEIGHT_FILES.join(', ')}`);
        }
        fs.mkdirSync(plan.dir, { recursive: true });
        fs.rmSync(to, { recursive: true, force: true });
        fs.renameSync(from, to);
      }
      hooks.onCheckpoint({
        index: next++,
        step: line.step,
        epoch: line.epoch,
        file: to,
        validation,
      });
    };
    await this.runner.run(
      {
        role: 'train',
        name: 'train',
        dir,
        params: {
          ...this.common(),
          role: 'train',
          hyperparameters: params,
          evalEvery: this.config.train.evalEvery ?? null,
          checkpoints: { count: plan.count, start: plan.start },
          resumeFromCheckpoint: resumeFrom?.file ?? null,
          resumeFromStep: resumeFrom?.step ?? null,
        },
      },
      {
        reattach: true,
        signal,
        onLines: (lines) => {
          for (const line of lines) {
            if (line.step <= recordedStep) continue;
            // A checkpoint's validation is a point of the validation curve too, as in the TF.js loop.
            feed(hooks, line);
            if (line.checkpoint !== undefined && next < plan.count)
              collect(line as MetricsLine & { checkpoint: string });
          }
        },
      },
    );
  }

  async evaluateMix(
    members: string[],
    weights: number[],
    split: Split,
    job?: JobHooks & { signal: AbortSignal },
  ): Promise<Evaluation> {
    const key = createHash('sha256')
      .update(JSON.stringify({ members, weights }))
      .digest('hex')
      .slice(0, 12);
    const name = `eval-${split}-${key}`;
    const dir = path.join(this.paths.dir, COMMAND_DIRS.evals, name);
    // Beside the job's folder, which a (re)start clears; removed once scored. The folder
    // is named by what it evaluates, so a resume reattaches to a job still scoring it.
    const modelDir = `${dir}.model`;
    try {
      await this.runner.run(
        {
          role: 'evaluate',
          name,
          dir,
          params: { ...this.common(), role: 'evaluate', modelDir, split },
          macros: { model_dir: modelDir, split },
        },
        {
          reattach: true,
          signal: job?.signal,
          job,
          prepare: async () => {
            fs.rmSync(modelDir, { recursive: true, force: true });
            await this.fuse(members, weights, modelDir);
          },
          onLines: () => {},
        },
      );
    } finally {
      fs.rmSync(modelDir, { recursive: true, force: true });
    }
    return readOutputs(dir, () =>
      evaluationOf(readMetricsFile(dir), this.config.data.metrics, path.join(dir, 'metrics.json')),
    );
  }

  async exportMix(members: string[], weights: number[], dir: string): Promise<void> {
    fs.rmSync(dir, { recursive: true, force: true });
    await this.fuse(members, weights, dir);
  }

  dispose(): void {}
}

/** The lab for `trainer.type: command`: the splits written for the trainer, jobs on `executor`. */
export function createCommandLab(
  config: ResolvedConfig,
  trainer: CommandTrainerConfig,
  paths: RunPaths,
  executor: Executor,
  fuse: FuseFolders,
): CommandLab {
  const data = writeTrainerData(config, path.join(paths.dir, 'data'));
  return new CommandLab(trainer, config, paths, data, executor, fuse);
}
