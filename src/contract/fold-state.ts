/**
 * The accumulator the event-log fold (fold.ts) fills: what a run is, by stage, after the
 * events seen so far. Kept apart from the reducer so that its shape reads in one place.
 */
import type {
  CheckpointEvent,
  DataSummaryEvent,
  Evaluation,
  RunEndEvent,
  RunStartEvent,
  RunStatus,
  SearchedParameter,
  StageName,
} from './events';
import { STAGES } from './events';
import type {
  BaselineEvent,
  BaselineName,
  FusionEvalEvent,
  ParetoUpdateEvent,
  SelectionEvent,
} from './fusion-events';

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StageRecord {
  status: StageStatus;
  /** Planned units of work (stage-start's total); 0 until the stage starts. */
  total: number;
  /** Units finished, in the unit of `total` (trials ended, checkpoints, searched fused models, baselines). */
  completed: number;
  /** Summed over the stage-ends of every attempt (a resumed stage ends more than once). */
  seconds?: number;
  /** Time of the stage-start. */
  startedAt?: string;
}

export interface TrialRecord {
  trial: number;
  params: Record<string, number>;
  source: 'initial' | 'bo';
  status: 'running' | 'done' | 'failed';
  objective?: number;
  bestStep?: number;
  seconds?: number;
  error?: string;
  /** The end of a failed command trainer's stderr. */
  stderrTail?: string;
  /** The trial's latest job, when it runs as one (several slots, Slurm). */
  job?: { id: string; executor: 'local' | 'slurm'; state: 'queued' | 'running' | 'ended' };
}

export interface StepValue {
  step: number;
  value: number;
}

export interface StepEvaluation {
  step: number;
  epoch: number;
  validation: Evaluation;
}

/** A stage-1 trial's curves by step; a trial run again (resume) starts them over. */
export interface TrialCurves {
  loss: StepValue[];
  evals: StepEvaluation[];
}

/** The latest training step seen, with when: what elapsed time and step rates are read from. */
export interface ProgressMark {
  stage: 'search' | 'train';
  trial?: number;
  step: number;
  totalSteps: number;
  time: string;
}

export interface Problem {
  message: string;
  /** Whether the run stopped because of it (warnings and non-fatal errors are not). */
  fatal: boolean;
  level: 'error' | 'warn';
  stage?: StageName;
}

export interface RunFold {
  /** The latest run-start (a resume writes another). */
  start?: RunStartEvent;
  /** Time of the first run-start: when the run began. */
  startedAt?: string;
  end?: RunEndEvent;
  /** From the log alone: 'running' until a run-end; a resume makes it 'running' again. */
  status: RunStatus | 'running';
  /** Set when the log was written by an engine whose event schema this build does not know; nothing after it is folded. */
  unsupported?: string;
  currentStage?: StageName;
  stages: Record<StageName, StageRecord>;
  /** Stage 1's search space, when the log carries it. */
  space?: SearchedParameter[];
  /** Stage 1 trials by trial number, in order of first start. */
  trials: Map<number, TrialRecord>;
  /** Stage 1 training loss and validations of each trial, by trial number. */
  trialCurves: Map<number, TrialCurves>;
  /** What the run loaded: rows per split, classes, text lengths, warnings. */
  dataSummary?: DataSummaryEvent;
  /** Stage 2 training loss by step; steps redone after a resume replace the first attempt. */
  trainLoss: StepValue[];
  /** Stage 2 validation evaluations, in arrival order. */
  trainEvals: StepEvaluation[];
  lastProgress?: ProgressMark;
  /** Stage 2 checkpoints by index; a checkpoint written again (resume) replaces the first. */
  checkpoints: Map<number, CheckpointEvent>;
  /** Stage 3 fusion evaluations by index; members (the checkpoints themselves) first, as the engine emits them. */
  fusionEvals: Map<number, FusionEvalEvent>;
  /** Indices of the fusion evaluations on the latest Pareto front. */
  front: ReadonlySet<number>;
  paretoUpdates: ParetoUpdateEvent[];
  selection?: SelectionEvent;
  /** Baselines by name, in arrival order (a later event for the same name replaces it). */
  baselines: Map<BaselineName, BaselineEvent>;
  /** Errors and warnings, oldest first. */
  problems: Problem[];
  /** The message of the latest error since the latest run-start. */
  lastError?: string;
  /** The primary metric's name: the first metric of the first evaluation seen. */
  metricName?: string;
  /** seq of the last folded event; -1 before any. */
  lastSeq: number;
}

export function emptyRunFold(): RunFold {
  const stages = {} as Record<StageName, StageRecord>;
  for (const stage of STAGES) stages[stage] = { status: 'pending', total: 0, completed: 0 };
  return {
    status: 'running',
    stages,
    trials: new Map(),
    trialCurves: new Map(),
    trainLoss: [],
    trainEvals: [],
    checkpoints: new Map(),
    fusionEvals: new Map(),
    front: new Set(),
    paretoUpdates: [],
    baselines: new Map(),
    problems: [],
    lastSeq: -1,
  };
}
