/**
 * The run's event log: `events.jsonl` in the run folder, one JSON object per line,
 * appended only by the engine (and echoed on stdout with `--json-events`).
 * It is the source of truth: the report, the extension's tree and the dashboard
 * are all folds over it, and `bomf resume` rebuilds BO state from it.
 *
 * This file is its schema: the type of every event. Documented for users in
 * docs/run-format.md; bump EVENT_SCHEMA_VERSION on any incompatible change.
 * Reading a log back (parsing its text) is ./read-event-log.
 */

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

interface EventBase {
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

/** Stage 3: one fused model evaluated on the validation split. */
export interface FusionEvalEvent extends EventBase {
  type: 'fusion-eval';
  index: number;
  /**
   * 'member': a collected checkpoint itself (a vertex of the simplex), whose
   * validation result stage 2 already measured; 'initial': the Sobol design;
   * 'bo': an acquisition suggestion; 'baseline': a baseline's weights (SWA, the greedy soup and
   * the soups it tried), evaluated once before the search as a free observation that stage 4
   * reuses.
   */
  source: 'member' | 'initial' | 'bo' | 'baseline';
  /** For source 'baseline': the baseline whose computation asked for this model. */
  baseline?: BaselineName;
  /** The optimizer's point (in the fusion domain's own coordinates). */
  x: number[];
  /** Fusion weights on the simplex, one per checkpoint. */
  weights: number[];
  validation: Evaluation;
  /** Normalized objectives, all maximized, in the order of the config's objectives. */
  objectives: number[];
  /** The fusion-start this evaluates (absent for members and for logs written before fusion-start). */
  candidate?: number;
}

/**
 * Stage 3: a fusion candidate the optimizer suggested, recorded before it is
 * evaluated, so that candidates evaluated side by side are pending points of
 * the next suggestion and a resumed run evaluates the same ones.
 */
export interface FusionStartEvent extends EventBase {
  type: 'fusion-start';
  /** 0, 1, 2, … in suggestion order; names its job ('eval-<candidate>'). */
  candidate: number;
  source: 'initial' | 'bo';
  x: number[];
  weights: number[];
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

/** Whether a fusion-eval is one of the search's own evaluations (counted against its budget). */
export function isSearchEvaluation(e: Pick<FusionEvalEvent, 'source'>): boolean {
  return e.source === 'initial' || e.source === 'bo';
}

export interface ParetoUpdateEvent extends EventBase {
  type: 'pareto-update';
  /** Indices of fusion-eval events on the current Pareto front. */
  front: number[];
  hypervolume: number;
  evaluations: number;
}

export interface SelectionEvent extends EventBase {
  type: 'selection';
  /** Index of the chosen fusion-eval. */
  index: number;
  rule: string;
  weights: number[];
  validation: Evaluation;
  test?: Evaluation;
  /** Relative to the run folder: the exported fused model. */
  dir: string;
}

export type BaselineName =
  | 'bomf'
  | 'best-single'
  | 'last'
  | 'swa'
  | 'greedy-soup'
  | 'sobo-metric'
  | 'sobo-loss';

export interface BaselineEvent extends EventBase {
  type: 'baseline';
  name: BaselineName;
  weights: number[];
  validation: Evaluation;
  test?: Evaluation;
  /** Human-readable notes, e.g. the greedy soup's keep/reject decisions. */
  notes?: string[];
  /** Index of the stage-3 fusion-eval whose validation this reuses (no second evaluation). */
  fusionEval?: number;
}

/** One evaluation made by a search-based baseline (single-objective BO), kept for resume. */
export interface BaselineEvalEvent extends EventBase {
  type: 'baseline-eval';
  name: BaselineName;
  index: number;
  x: number[];
  weights: number[];
  validation: Evaluation;
  /** The value the baseline's optimizer maximizes. */
  objective: number;
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
