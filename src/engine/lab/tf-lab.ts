/**
 * The real lab: TF.js fine-tuning (src/train) and checkpoint fusion (src/fusion)
 * on the run's data and base model.
 */

import type { Evaluation } from '../../contract/events';
import { CheckpointSet, StackedCheckpoints, writeFusedModel } from '../../fusion';
import { initBackend } from '../../train/backend';
import { type Dataset, loadDataset } from '../../train/data/dataset';
import { type DataSummary, summarizeDataset } from '../../train/data/summary';
import { evaluate } from '../../train/evaluate';
import { fineTune } from '../../train/loop/fine-tune';
import type {
  FineTuneResult,
  Hyperparameters as TrainHyperparameters,
} from '../../train/loop/types';
import { perExampleResults } from '../../train/metrics';
import { EncoderClassifier, labelRangeOf } from '../../train/model';
import { loadPretrainedEncoder } from '../../train/model/pretrained';
import type { NamedTensors } from '../../train/named-tensors';
import type { Tokenizer } from '../../train/tokenizer';
import type { ResolvedConfig } from '../config';
import { createExecutor } from '../executor/create';
import type {
  CheckpointPlan,
  CollectedCheckpoint,
  Hyperparameters,
  JobHooks,
  ModelLab,
  ProxySpec,
  Split,
  TrainHooks,
} from '../pipeline/lab';
import { RunStopped } from '../pipeline/lab';
import type { RunPaths } from '../store/run-folder';
import { resolveModelSource } from './model-source';
import { TfJobs } from './tf-jobs';

const EVAL_BATCH = 64;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TfLab implements ModelLab {
  private evalModel: EncoderClassifier | undefined;
  private members: CheckpointSet | undefined;
  /** The members on the backend, when they fit the memory budget (fast candidates). */
  private stacked: StackedCheckpoints | undefined;
  /** Set when stage-1 trials and stage-3 evaluations run as jobs instead of here. */
  private jobs: TfJobs | undefined;

  constructor(
    readonly backend: string,
    private readonly config: ResolvedConfig,
    private readonly data: Dataset,
    private readonly tokenizer: Tokenizer,
    private readonly base: {
      config: EncoderClassifier['config'];
      weights: NamedTensors;
      numLabels: number;
    },
  ) {}

  get validationSize(): number {
    return this.data.validation.length;
  }

  /** A fresh classifier holding the base model's weights, with the trial's dropout. */
  private freshModel(dropout: number): EncoderClassifier {
    const model = new EncoderClassifier(
      { ...this.base.config, hiddenDropout: dropout, attentionDropout: dropout },
      { numLabels: this.base.numLabels },
      this.config.seed,
    );
    model.setWeights(this.base.weights, { strict: false });
    return model;
  }

  private trainHyperparameters(p: Hyperparameters): TrainHyperparameters {
    return {
      learningRate: p.learningRate,
      batchSize: Math.max(1, Math.round(p.batchSize)),
      epochs: p.epochs,
      weightDecay: p.weightDecay,
      warmupRatio: p.warmupRatio,
      schedule: p.schedule,
      maxGradNorm: p.maxGradNorm,
      maxLength: this.config.data.maxLength,
    };
  }

  private async train(
    params: Hyperparameters,
    hooks: TrainHooks,
    signal: AbortSignal,
    extra: Partial<Parameters<typeof fineTune>[0]>,
  ): Promise<FineTuneResult> {
    const model = this.freshModel(params.dropout);
    try {
      const result = await fineTune({
        model,
        tokenizer: this.tokenizer,
        dataset: this.data,
        hyperparameters: this.trainHyperparameters(params),
        metrics: this.config.data.metrics,
        evalEvery: undefined,
        evalBatchSize: EVAL_BATCH,
        seed: this.config.seed,
        onProgress: async (p) => {
          hooks.onProgress(p);
          // Training is a chain of microtasks; without a macrotask turn between
          // steps, SIGINT/SIGTERM handlers would only run once training ends.
          await yieldToEventLoop();
        },
        onEval: (e) => hooks.onEval(e),
        signal,
        ...extra,
      });
      if (result.status === 'aborted') throw new RunStopped();
      return result;
    } finally {
      model.dispose();
    }
  }

  /** Set when stage-3 evaluations run as jobs too (see createTfLab). */
  private evaluationJobs = false;

  get slots(): number {
    return this.jobs?.slots ?? 1;
  }

  get evaluationSlots(): number {
    return this.evaluationJobs ? this.slots : 1;
  }

  runUnitsAsJobs(jobs: TfJobs, evaluations: boolean): void {
    this.jobs = jobs;
    this.evaluationJobs = evaluations;
  }

  async runTrial(
    params: Hyperparameters,
    proxy: ProxySpec,
    hooks: TrainHooks & { job?: JobHooks },
    signal: AbortSignal,
  ) {
    if (this.jobs && hooks.job) return this.jobs.trial(params, proxy, hooks, signal);
    const result = await this.train(params, hooks, signal, {
      proxy:
        proxy.lora !== undefined ? { lora: { rank: proxy.lora } } : { freeze: proxy.freeze ?? 0 },
      evalEvery: this.config.search.evalEvery,
    });
    const metric = this.config.data.metrics[0]!;
    const best = result.best;
    if (!best) throw new Error('the trial ran no validation');
    return { objective: best.validation.metrics[metric]!, bestStep: best.step };
  }

  async fineTune(
    params: Hyperparameters,
    plan: CheckpointPlan,
    hooks: TrainHooks & { onCheckpoint(c: CollectedCheckpoint): void },
    signal: AbortSignal,
    resumeFrom?: CollectedCheckpoint,
  ): Promise<void> {
    await this.train(params, hooks, signal, {
      checkpoints: plan,
      evalEvery: this.config.train.evalEvery,
      onCheckpoint: (c) =>
        hooks.onCheckpoint({
          index: c.index,
          step: c.step,
          epoch: c.epoch,
          file: c.file,
          validation: c.validation,
        }),
      resume: resumeFrom && { fromCheckpoint: resumeFrom.file },
    });
  }

  private memberSet(members: string[]): CheckpointSet {
    if (!this.members || this.members.files.join('\n') !== members.join('\n')) {
      this.stacked?.dispose();
      this.stacked = undefined;
      this.members = new CheckpointSet(members, this.config.fusion.memoryBudgetMB * 2 ** 20);
    }
    return this.members;
  }

  /** The evaluation model holding Σ w_k θ_k. */
  private fusedModel(members: string[], weights: number[]): EncoderClassifier {
    const set = this.memberSet(members);
    if (!set.cached) return this.modelWith(set.mix(weights));
    this.evalModel ??= this.freshModel(0);
    if (!this.stacked) {
      this.stacked = new StackedCheckpoints(members.map((_, k) => set.member(k)));
      set.dropCache();
    }
    this.stacked.mixInto(this.evalModel.variables, weights);
    return this.evalModel;
  }

  private modelWith(weights: NamedTensors): EncoderClassifier {
    this.evalModel ??= this.freshModel(0);
    this.evalModel.setWeights(weights, { strict: true });
    return this.evalModel;
  }

  async evaluateMix(
    members: string[],
    weights: number[],
    split: Split,
    job?: JobHooks & { signal: AbortSignal },
  ): Promise<Evaluation> {
    if (this.jobs && this.evaluationJobs && job) {
      return this.jobs.evaluate(members, weights, split, job);
    }
    const model = this.fusedModel(members, weights);
    const result = await evaluate(model, this.tokenizer, this.data[split], {
      batchSize: EVAL_BATCH,
      maxLength: this.config.data.maxLength,
      metrics: this.config.data.metrics,
      task: this.data.task,
    });
    if (split !== 'test') return { loss: result.loss, metrics: result.metrics };
    // Test results are compared between models example by example (report significance).
    const labels = this.data[split].map((ex) => ex.label);
    const examples = { ...perExampleResults(this.data.task, result.outputs, labels), labels };
    return { loss: result.loss, metrics: result.metrics, examples };
  }

  async exportMix(members: string[], weights: number[], dir: string): Promise<void> {
    await writeFusedModel(dir, {
      weights: this.memberSet(members).mix(weights),
      config: this.base.config,
      numLabels: this.base.numLabels,
      tokenizer: this.tokenizer,
      members,
      fusionWeights: weights,
      dtype: this.config.output.dtype,
      labelNames: this.data.labelNames ?? undefined,
      problemType: this.data.task === 'regression' ? 'regression' : 'single_label_classification',
    });
  }

  dataSummary(): DataSummary {
    return summarizeDataset(this.data);
  }

  dispose(): void {
    this.stacked?.dispose();
    this.evalModel?.dispose();
  }
}

/** Loads data and the base model; trials run in this process. */
export async function loadTfLab(config: ResolvedConfig): Promise<TfLab> {
  const backend = await initBackend(config.model.backend);
  // config.data is a DataSpec (the schema mirrors it) plus the metrics and maxLength.
  const data = loadDataset({ ...config.data, seed: config.seed }, config.baseDir);
  const numLabels = data.task === 'regression' ? 1 : data.labelNames!.length;
  const pairEncoding = config.model.pairEncoding;
  const loaded = loadPretrainedEncoder(
    resolveModelSource(config.model.source, config.baseDir),
    {
      numLabels,
      pairEncoding,
      labelRange: pairEncoding === 'bi' ? labelRangeOf(data.train.map((e) => e.label)) : undefined,
    },
    config.seed,
  );
  const weights = loaded.model.getWeights();
  loaded.model.dispose();
  return new TfLab(backend.name, config, data, loaded.tokenizer, {
    config: loaded.config,
    weights,
    numLabels,
  });
}

/**
 * The engine's LabFactory. With more than one slot, or on Slurm, stage-1 trials
 * run as jobs on the config's executor. Stage-3 evaluations do so on Slurm only:
 * on this machine one evaluation of the embedded model takes about a second and
 * a job's start (Node, TF.js, data, model, members) several (docs/benchmarks.md),
 * so they stay in the driver, one at a time.
 */
export async function createTfLab(config: ResolvedConfig, paths: RunPaths): Promise<ModelLab> {
  const lab = await loadTfLab(config);
  const executor = createExecutor(config, paths);
  if (executor.kind === 'slurm' || executor.slots > 1) {
    lab.runUnitsAsJobs(new TfJobs(executor, paths.dir), executor.kind === 'slurm');
  }
  return lab;
}
