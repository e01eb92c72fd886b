/**
 * The run's event log: `events.jsonl` in the run folder, one JSON object per line,
 * appended only by the engine (and echoed on stdout with `--json-events`).
 * It is the source of truth: the report, the extension's tree and the dashboard
 * are all folds over it, and `bomf resume` rebuilds BO state from it.
 *
 * This file is its schema: the type of every event. Documented for users in
 * docs/run-format.md; bump EVENT_SCHEMA_VERSION on any incompatible change.
 * Reading a log back (parsing its text) is ./read-event-log; the events of stages 3 and 4
 * (fusion and baselines) are in ./fusion-events.
 */

import type {
  BaselineEvalEvent,
  BaselineEvent,
  FusionEvalEvent,
  FusionStartEvent,
  ParetoUpdateEvent,
  SelectionEvent,
} from './fusion-events';

export const EVENT_SCHEMA_VERSION = 1;

export type StageName = 'search' | 'train' | 'fusion' | 'baselines';
export const STAGES: readonly StageName[] = ['search', 'train', 'fusion', 'baselines'];

/** Loss and metrics of one model on one split; metrics keyed by name (e.g. accuracy, f1). */
export interface Evaluation {
  loss: number;
  metrics: Record<string, number>;
  /**
   * Per-example results, in the split's example order (test evaluations): what paired
   * comparisons between models (bootstrap intervals, McNemar's test) are computed from.
   */
  examples?: PerExampleResults;
}

export interface PerExampleResults {
  /** Predicted class (classification) or score (regression) per example. */
  predictions: number[];
  /** The example's label. */
  labels: number[];
  /** The example's loss (cross-entropy or squared error). */
  losses: number[];
}

export type RunStatus = 'done' | 'failed' | 'stopped';

export interface EventBase {
  /** 0, 1, 2, … in file order; a gap means lost lines. */
  seq: number;
  /** ISO-8601 time the engine wrote the event. */
  time: string;
}

export interface RunStartEvent extends EventBase {
  type: 'run-start';
  schemaVersion: number;
  runId: string;
  name: string;
  configFile: string;
  /** Absolute path of the run folder. */
  runDir: string;
  engineVersion: string;
  /** Versions of the runtime pieces that can change results. */
  tfjsVersion: string;
  nodeVersion: string;
  backend: string;
  /** True when this start continues an interrupted run (`bomf resume`). */
  resumed: boolean;
  pid: number;
}

/** A searched hyperparameter's range, as the config gave it. */
export interface SearchedParameter {
  name: string;
  type: 'float' | 'int';
  low: number;
  high: number;
  log: boolean;
}

export interface StageStartEvent extends EventBase {
  type: 'stage-start';
  stage: StageName;
  /** Planned units of work: trials, checkpoints to collect, fused models to evaluate (members not counted), baselines. */
  total: number;
  /** Stage 1 only: the search space (e.g. so charts use log axes for log-scaled ranges). */
  space?: SearchedParameter[];
}

export interface StageEndEvent extends EventBase {
  type: 'stage-end';
  stage: StageName;
  status: 'done' | 'failed' | 'skipped';
  seconds: number;
}

/** Stage 1: one hyperparameter trial on the proxy model. */
export interface TrialStartEvent extends EventBase {
  type: 'trial-start';
  trial: number;
  /** Hyperparameters by name, in their natural units. */
  params: Record<string, number>;
  /** The optimizer's point in its unit cube (rebuilds BO state on resume). */
  x: number[];
  /** 'initial' for the Sobol design, 'bo' for acquisition suggestions. */
  source: 'initial' | 'bo';
}

/** Training progress inside a trial (stage 1) or the full fine-tune (stage 2, trial absent). */
export interface TrainProgressEvent extends EventBase {
  type: 'train-progress';
  stage: 'search' | 'train';
  trial?: number;
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  learningRate: number;
}

/** A validation evaluation during training (stage 1 trials and stage 2). */
export interface TrainEvalEvent extends EventBase {
  type: 'train-eval';
  stage: 'search' | 'train';
  trial?: number;
  step: number;
  epoch: number;
  validation: Evaluation;
}

export interface TrialEndEvent extends EventBase {
  type: 'trial-end';
  trial: number;
  status: 'done' | 'failed';
  /** Best validation value of the objective metric along the trial's trajectory. */
  objective?: number;
  bestStep?: number;
  error?: string;
  /** The end of the trial's stderr, when it ran as a command (trainer.type: command) and failed. */
  stderrTail?: string;
  seconds: number;
}

/** Stage 2: a collected checkpoint (a fusion member). */
export interface CheckpointEvent extends EventBase {
  type: 'checkpoint';
  index: number;
  step: number;
  epoch: number;
  /** Relative to the run folder, e.g. checkpoints/ckpt-03.safetensors. */
  file: string;
  validation: Evaluation;
}

/**
 * A stage-1 trial or stage-3 evaluation run as a job (an executor with several
 * slots, or Slurm). `bomf resume` reattaches to the last queued job of a unit
 * by its id instead of submitting it again.
 */
export interface JobEvent extends EventBase {
  type: 'job';
  /** The unit of work: 'trial-<n>' (stage 1) or 'eval-<candidate>' (stage 3). */
  unit: string;
  stage: 'search' | 'fusion';
  executor: 'local' | 'slurm';
  /** `pid:starttime` locally, the Slurm job id on a cluster. */
  jobId: string;
  /** queued: submitted or reattached; running: the job started; ended: it exited or was killed. */
  state: 'queued' | 'running' | 'ended';
  /** With 'queued': a job of an earlier driver picked up again, not a new submission. */
  reattached?: boolean;
  /** With 'ended': the exit code, or why the job was killed (cancel, timeout, scancel from outside). */
  exitCode?: number;
  reason?: string;
  /**
   * With 'ended': the run's own stop (Ctrl-C, the editor's Stop) cancelled the job. Its unit
   * did not fail and did not finish: a resume submits it afresh, never reattaching to the
   * cancelled job.
   */
  stopped?: boolean;
}

/** One split of the data as the run loaded it. */
export interface DataSplitSummary {
  split: 'train' | 'validation' | 'test';
  rows: number;
  /** The file it was read from; absent when it was carved from the training file. */
  file?: string;
  /** Rows per class, in class id order (classification only). */
  classCounts?: number[];
  /** Characters per example (text and pair together): 5th, 50th and 95th percentile, maximum. */
  textLength: { p5: number; p50: number; p95: number; max: number };
}

/** What the run trains and evaluates on, written after each run-start so the user can check it. */
export interface DataSummaryEvent extends EventBase {
  type: 'data-summary';
  task: 'classification' | 'regression';
  /** Class names in id order (classification only). */
  labels?: string[];
  splits: DataSplitSummary[];
  /** Things worth a look, each naming its file (and line): a label that reads like text, a class with a handful of rows, bytes that are not UTF-8, dropped control characters. */
  warnings: string[];
}

export interface LogEvent extends EventBase {
  type: 'log';
  level: 'info' | 'warn';
  message: string;
}

export interface ErrorEvent extends EventBase {
  type: 'error';
  message: string;
  stage?: StageName;
  /** Whether the run stops because of it. */
  fatal: boolean;
  /** The end of the failed command's stderr, when a command trainer's job failed. */
  stderrTail?: string;
}

export interface RunEndEvent extends EventBase {
  type: 'run-end';
  status: RunStatus;
  seconds: number;
}

export type BomfEvent =
  | RunStartEvent
  | StageStartEvent
  | StageEndEvent
  | TrialStartEvent
  | TrainProgressEvent
  | TrainEvalEvent
  | TrialEndEvent
  | CheckpointEvent
  | FusionEvalEvent
  | FusionStartEvent
  | JobEvent
  | ParetoUpdateEvent
  | SelectionEvent
  | BaselineEvent
  | BaselineEvalEvent
  | LogEvent
  | DataSummaryEvent
  | ErrorEvent
  | RunEndEvent;

export type BomfEventType = BomfEvent['type'];

/** An event before the log assigns `seq` and `time`. */
export type EventPayload = BomfEvent extends infer E
  ? E extends BomfEvent
    ? Omit<E, 'seq' | 'time'>
    : never
  : never;
