/** Options, callbacks and results of `fineTune`. */
import type { Example } from '../data';
import type { MetricName, TaskKind } from '../metrics';
import type { EncoderClassifier } from '../model';
import type { Tokenizer } from '../tokenizer';
import type { ProxyOptions } from './proxy';
import type { ScheduleName } from './schedule';

export interface Hyperparameters {
  learningRate: number;
  /** Examples per step (rounded down; stage-1 BO proposes it as a real number). */
  batchSize: number;
  /** Passes over the training set; ignored when `maxSteps` is given. Default 3. */
  epochs?: number;
  /** Exact number of optimizer steps (overrides `epochs`). */
  maxSteps?: number;
  /** Decoupled AdamW weight decay; none on biases and LayerNorm. Default 0.1 (BOMF). */
  weightDecay?: number;
  /** Fraction of the steps spent in linear warmup. Default 0.2 (BOMF). */
  warmupRatio?: number;
  /** After warmup. Default 'constant' (BOMF). */
  schedule?: ScheduleName;
  /** Clip gradients to this global L2 norm; 0 disables. Default 1. */
  maxGradNorm?: number;
  /** Truncate inputs to this many tokens (special tokens included). Default 128. */
  maxLength?: number;
  /** AdamW β1, β2, ε. Defaults 0.9, 0.98, 1e-6 (BOMF). */
  adamBeta1?: number;
  adamBeta2?: number;
  adamEpsilon?: number;
}

/** Loss and metrics of the model on one split (dataset-level metrics, keyed by name). */
export interface Scores {
  loss: number;
  metrics: Record<string, number>;
}

export interface EvalRecord {
  step: number;
  /** Fractional epochs done (step / steps per epoch). */
  epoch: number;
  validation: Scores;
}

export interface CheckpointRecord {
  /** 0-based position in the collection. */
  index: number;
  step: number;
  epoch: number;
  /** Path of the weights (`…/ckpt-03.safetensors`). */
  file: string;
  /** Path of the resumable training state beside it. */
  stateFile: string;
  validation: Scores;
}

export interface StepProgress {
  step: number;
  totalSteps: number;
  /** Fractional epochs done. */
  epoch: number;
  /** Training loss of this step's batch. */
  loss: number;
  learningRate: number;
}

export interface CheckpointOptions {
  /** K, the number of members to collect. */
  count: number;
  /** Fraction of training after which collection starts, in [0, 1). */
  start: number;
  /** Folder for `ckpt-XX.safetensors` (created if missing). */
  dir: string;
}

export type Awaitable<T> = T | Promise<T>;

export interface FineTuneOptions {
  model: EncoderClassifier;
  tokenizer: Tokenizer;
  dataset: { task: TaskKind; train: readonly Example[]; validation: readonly Example[] };
  hyperparameters: Hyperparameters;
  /** Metrics computed at every evaluation. */
  metrics: MetricName[];
  /** What "best" means in the result: a metric (maximised) or 'loss' (minimised). Default metrics[0]. */
  objectiveMetric?: MetricName | 'loss';
  /** Evaluate every N steps (also at every epoch end and at every checkpoint). */
  evalEvery?: number;
  /** Batch size of validation passes. Default 64. */
  evalBatchSize?: number;
  proxy?: ProxyOptions;
  checkpoints?: CheckpointOptions;
  /** Seeds data order, dropout and LoRA initialisation. Default 0. */
  seed?: number;
  /** Length bucketing of training batches (default true; false only to measure its effect). */
  bucketing?: boolean;
  onProgress?: (ev: StepProgress) => Awaitable<void>;
  onEval?: (ev: EvalRecord) => Awaitable<void>;
  onCheckpoint?: (ev: CheckpointRecord) => Awaitable<void>;
  /** Checked between steps; training stops cleanly and the result says 'aborted'. */
  signal?: AbortSignal;
  /** Continue a killed run from a collected checkpoint (its `.state.safetensors` must exist). */
  resume?: { fromCheckpoint: string };
}

export interface FineTuneResult {
  status: 'completed' | 'aborted';
  /** Optimizer steps done (equals totalSteps when completed). */
  steps: number;
  totalSteps: number;
  history: EvalRecord[];
  /** The evaluation with the best objective, if any evaluation ran. */
  best?: EvalRecord;
  checkpoints: CheckpointRecord[];
}
