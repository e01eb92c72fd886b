/**
 * The one fold of the event log. The run report (engine), the side panel (host) and the
 * dashboard (webview) are projections of this accumulator, so they cannot disagree about
 * what a log means: a re-emitted checkpoint replaces the earlier one, a trial-end without
 * its trial-start is dropped (its source is unknowable), stage seconds add up over resumes.
 *
 * The accumulator is mutated in place: it belongs to its caller, and copying thousands of
 * evaluations per event would be quadratic over a run.
 */
import {
  type BaselineEvent,
  type BaselineName,
  type BomfEvent,
  type CheckpointEvent,
  type DataSummaryEvent,
  EVENT_SCHEMA_VERSION,
  type Evaluation,
  type FusionEvalEvent,
  isSearchEvaluation,
  type ParetoUpdateEvent,
  type RunEndEvent,
  type RunStartEvent,
  type RunStatus,
  type SearchedParameter,
  type SelectionEvent,
  STAGES,
  type StageName,
} from './events';
import { appendStep } from './step-series';

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

/**
 * Parts of a run an event can change, so a view redraws only those: the run's header,
 * stage 1, stage 2, stage 3 and the results table.
 */
export type RunSection = 'run' | 'search' | 'train' | 'fusion' | 'results';

const NONE: readonly RunSection[] = [];
const RUN: readonly RunSection[] = ['run'];
const SEARCH: readonly RunSection[] = ['search', 'run'];
const TRAIN: readonly RunSection[] = ['train'];
const TRAIN_AND_RUN: readonly RunSection[] = ['train', 'run'];
const FUSION: readonly RunSection[] = ['fusion', 'run'];
const FUSION_AND_RESULTS: readonly RunSection[] = ['fusion', 'results'];
const RESULTS: readonly RunSection[] = ['results', 'run'];

/** Why a run-start's schema cannot be read by this build, or undefined when it can. */
export function unsupportedSchema(start: RunStartEvent): string | undefined {
  if (start.schemaVersion === EVENT_SCHEMA_VERSION) return undefined;
  return (
    `This run's event log has schema version ${String(start.schemaVersion)} (engine ` +
    `${start.engineVersion}); this version of BOMF Studio reads version ${EVENT_SCHEMA_VERSION}. ` +
    'Open it with a matching version of BOMF Studio.'
  );
}

function firstMetric(e: Evaluation): string | undefined {
  return Object.keys(e.metrics)[0];
}

/**
 * Folds one event into `run` and returns the sections it changed. Types unknown to this
 * build (a newer engine's) change nothing, and so do events after an unsupported run-start.
 */
export function foldEvent(run: RunFold, e: BomfEvent): readonly RunSection[] {
  if (run.unsupported !== undefined) return NONE;
  switch (e.type) {
    case 'run-start':
      run.unsupported = unsupportedSchema(e);
      run.start = e;
      run.startedAt ??= e.time;
      run.end = undefined;
      run.status = 'running';
      run.lastError = undefined;
      return RUN;
    case 'run-end':
      run.end = e;
      run.status = e.status;
      return RUN;
    case 'stage-start': {
      const s = run.stages[e.stage];
      s.status = 'running';
      s.total = e.total;
      s.startedAt = e.time;
      if (e.space) run.space = e.space;
      run.currentStage = e.stage;
      return RUN;
    }
    case 'stage-end': {
      const s = run.stages[e.stage];
      s.status = e.status;
      s.seconds = (s.seconds ?? 0) + e.seconds;
      return RUN;
    }
    case 'trial-start':
      run.trials.set(e.trial, {
        trial: e.trial,
        params: e.params,
        source: e.source,
        status: 'running',
      });
      return SEARCH;
    case 'trial-end': {
      const t = run.trials.get(e.trial);
      if (!t) return NONE;
      Object.assign(t, {
        status: e.status,
        objective: e.objective,
        bestStep: e.bestStep,
        seconds: e.seconds,
        error: e.error,
        stderrTail: e.stderrTail,
      });
      run.stages.search.completed = countWhere(run.trials.values(), (x) => x.status !== 'running');
      return SEARCH;
    }
    case 'train-progress':
      run.lastProgress = {
        stage: e.stage,
        trial: e.trial,
        step: e.step,
        totalSteps: e.totalSteps,
        time: e.time,
      };
      if (e.stage !== 'train') {
        if (e.trial === undefined) return RUN;
        appendStep(trialCurvesOf(run, e.trial).loss, { step: e.step, value: e.loss });
        return SEARCH;
      }
      appendStep(run.trainLoss, { step: e.step, value: e.loss });
      return TRAIN_AND_RUN;
    case 'train-eval': {
      run.metricName ??= firstMetric(e.validation);
      const evaluation = { step: e.step, epoch: e.epoch, validation: e.validation };
      if (e.stage === 'train') {
        appendStep(run.trainEvals, evaluation);
        return TRAIN;
      }
      if (e.trial === undefined) return NONE;
      appendStep(trialCurvesOf(run, e.trial).evals, evaluation);
      return SEARCH;
    }
    case 'checkpoint':
      run.metricName ??= firstMetric(e.validation);
      run.checkpoints.set(e.index, e);
      run.stages.train.completed = run.checkpoints.size;
      return TRAIN_AND_RUN;
    case 'fusion-eval':
      run.metricName ??= firstMetric(e.validation);
      run.fusionEvals.set(e.index, e);
      // In the unit the engine plans: searched models (members and baselines come free).
      run.stages.fusion.completed = countWhere(run.fusionEvals.values(), isSearchEvaluation);
      return FUSION;
    case 'pareto-update':
      run.paretoUpdates.push(e);
      run.front = new Set(e.front);
      return FUSION;
    case 'selection':
      run.selection = e;
      return FUSION_AND_RESULTS;
    case 'baseline':
      run.baselines.set(e.name, e);
      run.stages.baselines.completed = run.baselines.size;
      return RESULTS;
    case 'baseline-eval':
      // A single-objective baseline's search step, kept for resume: only its result is shown.
      return NONE;
    case 'error':
      run.problems.push({ message: e.message, fatal: e.fatal, level: 'error', stage: e.stage });
      run.lastError = e.message;
      return RUN;
    case 'data-summary':
      run.dataSummary = e;
      return RUN;
    case 'job': {
      const t =
        e.stage === 'search' ? run.trials.get(Number(e.unit.replace('trial-', ''))) : undefined;
      if (!t) return NONE;
      t.job = { id: e.jobId, executor: e.executor, state: e.state };
      return SEARCH;
    }
    case 'fusion-start':
      // A suggested stage-3 candidate; it is shown once its fusion-eval arrives.
      return NONE;
    case 'log':
      if (e.level !== 'warn') return NONE;
      run.problems.push({ message: e.message, fatal: false, level: 'warn' });
      return RUN;
    default: {
      // Compile time: every known type is handled above. Run time: a newer engine's type is skipped.
      const unknown: never = e;
      void unknown;
      return NONE;
    }
  }
}

/**
 * Folds events in order and returns the sections they changed. An event whose seq is not
 * after `run.lastSeq` is already folded and is skipped, so a stream and a file tail of the
 * same run, or a delta overlapping a snapshot, can overlap safely.
 */
export function foldEvents(run: RunFold, events: Iterable<BomfEvent>): Set<RunSection> {
  const touched = new Set<RunSection>();
  for (const e of events) {
    if (typeof e.seq === 'number') {
      if (e.seq <= run.lastSeq) continue;
      run.lastSeq = e.seq;
    }
    for (const section of foldEvent(run, e)) touched.add(section);
  }
  return touched;
}

/** A fresh fold of a whole log. */
export function foldLog(events: Iterable<BomfEvent>): RunFold {
  const run = emptyRunFold();
  foldEvents(run, events);
  return run;
}

export interface DeltaResult {
  /** Events to fold, contiguous and in order, each with seq > the previous lastSeq. */
  accepted: BomfEvent[];
  /** `seq` of the last event held after this delta. */
  lastSeq: number;
  /** Set when events are missing: ask the sender to resend from this seq. */
  resyncFrom?: number;
}

/**
 * Applies a delta to a holder of every event up to `lastSeq` (-1: none). Events already
 * held are dropped (a delta may overlap a snapshot); at the first gap the rest is held back
 * and a resync is requested from the first missing seq.
 */
export function applyDelta(lastSeq: number, events: readonly BomfEvent[]): DeltaResult {
  const accepted: BomfEvent[] = [];
  let last = lastSeq;
  for (const e of events) {
    if (e.seq <= last) continue;
    if (e.seq !== last + 1) return { accepted, lastSeq: last, resyncFrom: last + 1 };
    accepted.push(e);
    last = e.seq;
  }
  return { accepted, lastSeq: last };
}

/** The latest hypervolume of the Pareto front, once stage 3 has reported one. */
export function latestHypervolume(run: RunFold): number | undefined {
  return run.paretoUpdates.at(-1)?.hypervolume;
}

/** Trials in trial-number order. */
export function trialsInOrder(run: RunFold): TrialRecord[] {
  return [...run.trials.values()].sort((a, b) => a.trial - b.trial);
}

function countWhere<T>(items: Iterable<T>, keep: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (keep(item)) n++;
  return n;
}

function trialCurvesOf(run: RunFold, trial: number): TrialCurves {
  let curves = run.trialCurves.get(trial);
  if (!curves) {
    curves = { loss: [], evals: [] };
    run.trialCurves.set(trial, curves);
  }
  return curves;
}
