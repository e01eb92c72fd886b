/**
 * The pipeline's port to the machine-learning side. The pipeline decides *what*
 * to train and evaluate (BO, bookkeeping, resume); a lab does it. The real lab
 * (src/engine/lab/) fine-tunes TF.js models; tests plug in a synthetic one whose
 * answers are cheap closed-form functions, so resume logic is tested in
 * milliseconds.
 */
import type { Evaluation } from '../../contract/events';
import type { DataSummary } from '../../train/data/summary';
import { infrastructureErrno, type JobReport } from '../executor/executor';

/** Hyperparameters of one training run, in natural units. */
export interface Hyperparameters {
  learningRate: number;
  batchSize: number;
  weightDecay: number;
  warmupRatio: number;
  epochs: number;
  dropout: number;
  schedule: 'constant' | 'linear' | 'cosine';
  maxGradNorm: number;
}

export interface ProxySpec {
  freeze?: number;
  lora?: number;
}

export interface TrainHooks {
  onProgress(p: {
    step: number;
    totalSteps: number;
    epoch: number;
    loss: number;
    learningRate: number;
  }): void;
  onEval(e: { step: number; epoch: number; validation: Evaluation }): void;
}

/**
 * Given with a unit of work that a lab may run as a job (an out-of-process
 * trial or evaluation). The pipeline names the unit and keeps its job ids in the
 * event log; a lab that runs the unit in-process ignores it.
 */
export interface JobHooks {
  /** Unique in the run: 'trial-3', 'eval-7'. Names the job and its folder. */
  unit: string;
  /** The job an earlier driver queued for this unit: reattach to it rather than submit again. */
  recordedId?: string;
  /** The unit's last job was cancelled by the run's stop: submit it anew. */
  afresh?: boolean;
  /** Reports the job's life (queued/reattached, running, ended) for the event log. */
  onJob(e: JobReport): void;
}

export interface CollectedCheckpoint {
  index: number;
  step: number;
  epoch: number;
  /** Absolute path of the weights file. */
  file: string;
  validation: Evaluation;
}

export interface CheckpointPlan {
  count: number;
  /** Fraction of training after which members are collected. */
  start: number;
  dir: string;
}

export type Split = 'validation' | 'test';

export interface ModelLab {
  /** TF.js backend the lab runs on, for the run's metadata. */
  readonly backend: string;
  /** Examples in the validation split (the noise-aware selection rule needs it). */
  readonly validationSize: number;
  /**
   * Stage-1 trials the lab runs at once; the pipeline keeps this many in
   * flight, with batch suggestions. Default 1.
   */
  readonly slots?: number;
  /** Stage-3 evaluations the lab runs at once (as jobs when more than one). Default 1. */
  readonly evaluationSlots?: number;
  /**
   * Stage 1: trains the proxy model with `params`, validating along the way.
   * Resolves to the best validation value of the primary metric and its step.
   */
  runTrial(
    params: Hyperparameters,
    proxy: ProxySpec,
    hooks: TrainHooks & { job?: JobHooks },
    signal: AbortSignal,
    /** The trial's number, for labs that keep a folder per trial. */
    trial?: number,
  ): Promise<{ objective: number; bestStep: number }>;
  /**
   * Stage 2: fine-tunes the full model and collects checkpoints, calling
   * `onCheckpoint` as each is written. With `resumeFrom`, continues after that
   * checkpoint (earlier ones are already on disk and recorded).
   */
  fineTune(
    params: Hyperparameters,
    plan: CheckpointPlan,
    hooks: TrainHooks & { onCheckpoint(c: CollectedCheckpoint): void },
    signal: AbortSignal,
    resumeFrom?: CollectedCheckpoint,
  ): Promise<void>;
  /**
   * Evaluates Σ w_k θ_k over the given checkpoint files on a split. With `job`
   * (stage 3's searched candidates), a lab with slots may run it as a job.
   */
  evaluateMix(
    members: string[],
    weights: number[],
    split: Split,
    job?: JobHooks & { signal: AbortSignal },
  ): Promise<Evaluation>;
  /** Writes the fused model Σ w_k θ_k as a loadable model folder. */
  exportMix(members: string[], weights: number[], dir: string): Promise<void>;
  /** The data the lab trains and evaluates on, for the run's data-summary event. */
  dataSummary?(): DataSummary;
  dispose(): void;
}

/**
 * A unit of work that ran out of process and ended without a result (non-zero exit, a
 * cancel or kill from outside, a timeout, missing outputs); `outputTail` is the end of its
 * stderr, recorded in the event so the user sees why without opening files.
 */
export class JobFailed extends Error {
  override name = 'JobFailed';
  constructor(
    message: string,
    readonly outputTail?: string,
  ) {
    super(message);
  }
}

/**
 * A unit of work that could not finish for a reason that is not its own: the run folder cannot
 * be written (a full disk, a quota, a read-only or failing file system), found by its job
 * (INFRASTRUCTURE_FAILURE_EXIT), or a command trainer that exited with that code to say a
 * failure is temporary (docs/trainer-protocol.md). The run fails, resumably, and a resume runs
 * the unit again; recorded as a failed trial, it would change what the search learns. `code` is
 * the errno when the job could name it; `remedy` what the user should do before resuming, when
 * it is not freeing the disk.
 */
export class InfrastructureFailure extends Error {
  override name = 'InfrastructureFailure';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly outputTail?: string,
    readonly remedy?: string,
  ) {
    super(message);
  }
}

/** Whether `err` fails the run rather than the unit it came from: the run folder cannot be written. */
export function failsTheRun(err: unknown): boolean {
  return err instanceof InfrastructureFailure || infrastructureErrno(err) !== undefined;
}

/** Raised by a lab when `signal` aborts; the pipeline then ends the run as 'stopped'. */
export class RunStopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'RunStopped';
  }
}
