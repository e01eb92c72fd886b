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
  type BomfEvent,
  EVENT_SCHEMA_VERSION,
  type Evaluation,
  type RunStartEvent,
} from './events';
import { emptyRunFold, type RunFold, type TrialCurves, type TrialRecord } from './fold-state';
import { isSearchEvaluation } from './fusion-events';
import { appendStep } from './step-series';

// The accumulator's types live in fold-state.ts; readers of the fold import them from here.
export type {
  Problem,
  ProgressMark,
  RunFold,
  StageRecord,
  StageStatus,
  StepEvaluation,
  StepValue,
  TrialCurves,
  TrialRecord,
} from './fold-state';
export { emptyRunFold } from './fold-state';

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
