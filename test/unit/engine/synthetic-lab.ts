/**
 * A ModelLab whose "models" are small weight vectors and whose evaluations are
 * closed-form: fast and deterministic, so pipeline tests can run whole runs,
 * interrupt them anywhere and resume them in milliseconds. Loss and metric have
 * different optima, so fusion faces a real trade-off (as in the BOMF paper).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Evaluation } from '../../../src/contract/events';
import type {
  CheckpointPlan,
  CollectedCheckpoint,
  Hyperparameters,
  ModelLab,
  ProxySpec,
  Split,
  TrainHooks,
} from '../../../src/engine/pipeline/lab';
import { RunStopped } from '../../../src/engine/pipeline/lab';
import { CheckpointSet } from '../../../src/fusion/average';
import { NonFiniteLossError } from '../../../src/train/loop/errors';
import { writeSafetensors } from '../../../src/train/safetensors';

const DIM = 4;
const TEST_SIZE = 200;

export interface SyntheticLabOptions {
  /** Trials whose learning rate exceeds this fail like a NaN loss would. */
  failAboveLearningRate?: number;
  /** Steps of the stage-2 fine-tune. */
  steps?: number;
  /** Stage 2's loss becomes NaN just before checkpoint k, as with a too-high learning rate. */
  divergeBeforeCheckpoint?: number;
}

export class SyntheticLab implements ModelLab {
  readonly backend = 'synthetic';
  readonly validationSize = 200;
  calls = { runTrial: 0, fineTuneCheckpoints: 0, evaluateMix: 0, exportMix: 0 };

  constructor(private readonly opts: SyntheticLabOptions = {}) {}

  /** Member k's weights: points on a curve, so mixtures can beat every member. */
  static member(k: number): number[] {
    const t = k / 3;
    return Array.from({ length: DIM }, (_, i) => Math.sin(t + i) + 0.3 * Math.cos(2 * t * (i + 1)));
  }

  static score(theta: number[], split: Split): Evaluation {
    const shift = split === 'test' ? 0.05 : 0;
    const lossTarget = [0.4, 0.1, -0.3, 0.2];
    const metricTarget = [0.9, -0.2, 0.1, 0.5];
    const d2 = (t: number[]) => theta.reduce((s, v, i) => s + (v - t[i]! - shift) ** 2, 0);
    return { loss: 0.2 + d2(lossTarget), metrics: { accuracy: 1 / (1 + d2(metricTarget)) } };
  }

  async runTrial(
    params: Hyperparameters,
    _proxy: ProxySpec,
    hooks: TrainHooks,
    signal: AbortSignal,
  ) {
    this.calls.runTrial++;
    if (signal.aborted) throw new RunStopped();
    if (
      this.opts.failAboveLearningRate !== undefined &&
      params.learningRate > this.opts.failAboveLearningRate
    ) {
      throw new Error('loss became NaN at step 3 (epoch 0.5)');
    }
    const objective =
      0.9 - 0.05 * (Math.log10(params.learningRate) + 4) ** 2 - ((params.batchSize - 24) / 40) ** 2;
    hooks.onProgress({
      step: 1,
      totalSteps: 2,
      epoch: 0.5,
      loss: 1 - objective,
      learningRate: params.learningRate,
    });
    hooks.onEval({
      step: 2,
      epoch: 1,
      validation: { loss: 1 - objective, metrics: { accuracy: objective } },
    });
    return { objective, bestStep: 2 };
  }

  async fineTune(
    _params: Hyperparameters,
    plan: CheckpointPlan,
    hooks: TrainHooks & { onCheckpoint(c: CollectedCheckpoint): void },
    signal: AbortSignal,
    resumeFrom?: CollectedCheckpoint,
  ) {
    const steps = this.opts.steps ?? 100;
    const first = resumeFrom ? resumeFrom.index + 1 : 0;
    fs.mkdirSync(plan.dir, { recursive: true });
    for (let k = first; k < plan.count; k++) {
      if (signal.aborted) throw new RunStopped();
      const step = Math.round(steps * (plan.start + ((1 - plan.start) * (k + 1)) / plan.count));
      if (k === this.opts.divergeBeforeCheckpoint) {
        throw new NonFiniteLossError(
          step,
          0,
          Number.NaN,
          k > 0 ? this.checkpointFile(plan, k - 1) : undefined,
        );
      }
      hooks.onProgress({
        step,
        totalSteps: steps,
        epoch: step / 50,
        loss: 0.5,
        learningRate: 1e-3,
      });
      const theta = SyntheticLab.member(k);
      const file = this.checkpointFile(plan, k);
      writeSafetensors(file, new Map([['w', { shape: [DIM], data: Float32Array.from(theta) }]]));
      this.calls.fineTuneCheckpoints++;
      const validation = SyntheticLab.score(theta, 'validation');
      // As the TF.js lab does: the evaluation that decides a checkpoint is also a train-eval.
      hooks.onEval({ step, epoch: step / 50, validation });
      hooks.onCheckpoint({ index: k, step, epoch: step / 50, file, validation });
    }
  }

  private checkpointFile(plan: CheckpointPlan, k: number): string {
    return path.join(plan.dir, `ckpt-${String(k).padStart(2, '0')}.safetensors`);
  }

  async evaluateMix(members: string[], weights: number[], split: Split): Promise<Evaluation> {
    this.calls.evaluateMix++;
    const fused = new CheckpointSet(members, 1e9).mix(weights).get('w')!;
    const score = SyntheticLab.score(Array.from(fused.data), split);
    return split === 'test' ? SyntheticLab.withExamples(score) : score;
  }

  /**
   * Test evaluations carry per-example results, as the real lab's do: TEST_SIZE examples, each
   * with a difficulty in [0, 1); a model gets an example right when its score exceeds that
   * difficulty, so better models are right on a superset, and accuracy is the fraction right.
   */
  static withExamples(score: Evaluation): Evaluation {
    const labels = Array.from({ length: TEST_SIZE }, (_, i) => i % 2);
    const difficulty = labels.map((_, i) => (i * 0.6180339887) % 1);
    const right = difficulty.map((d) => score.metrics.accuracy! > d);
    const predictions = labels.map((l, i) => (right[i] ? l : 1 - l));
    const losses = difficulty.map((d) => score.loss + 0.1 * (d - 0.5));
    const accuracy = right.filter(Boolean).length / TEST_SIZE;
    return { loss: score.loss, metrics: { accuracy }, examples: { predictions, labels, losses } };
  }

  async exportMix(members: string[], weights: number[], dir: string): Promise<void> {
    this.calls.exportMix++;
    fs.mkdirSync(dir, { recursive: true });
    writeSafetensors(
      path.join(dir, 'model.safetensors'),
      new CheckpointSet(members, 1e9).mix(weights),
    );
  }

  dispose(): void {}
}
