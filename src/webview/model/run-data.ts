/**
 * The webview's fold of the event log: one accumulator updated event by event, from which
 * the panels' view models are derived (trials.ts, training.ts, pareto.ts, fusion.ts,
 * results.ts). No DOM here, so the whole folder runs under node:test.
 */
import type {
  BaselineEvent,
  BaselineName,
  BomfEvent,
  CheckpointEvent,
  Evaluation,
  FusionEvalEvent,
  ParetoUpdateEvent,
  RunEndEvent,
  RunStartEvent,
  SearchedParameter,
  SelectionEvent,
  StageName,
} from '../../contract/events';

export interface TrialRecord {
  trial: number;
  params: Record<string, number>;
  source: 'initial' | 'bo';
  status: 'running' | 'done' | 'failed';
  objective?: number;
  error?: string;
}

export interface StageRecord {
  status: 'running' | 'done' | 'failed' | 'skipped';
  /** Planned units of work (trials, steps, evaluations, baselines). */
  total: number;
  seconds?: number;
}

export interface StepValue {
  step: number;
  value: number;
}

export interface StepEvaluation {
  step: number;
  validation: Evaluation;
}

export interface RunData {
  start?: RunStartEvent;
  end?: RunEndEvent;
  stages: Map<StageName, StageRecord>;
  /** Stage 1's search space, when the log carries it. */
  space?: SearchedParameter[];
  /** Stage 1 trials by trial number. */
  trials: Map<number, TrialRecord>;
  /** Stage 2 training loss by step, in arrival order. */
  trainLoss: StepValue[];
  /** Stage 2 validation evaluations, in arrival order. */
  trainEvals: StepEvaluation[];
  /** Stage 2 checkpoints by checkpoint index. */
  checkpoints: Map<number, CheckpointEvent>;
  /** Stage 3 fusion evaluations by fusion-eval index. */
  fusionEvals: Map<number, FusionEvalEvent>;
  paretoUpdates: ParetoUpdateEvent[];
  selection?: SelectionEvent;
  /** Baselines by name, in arrival order (a later event for the same name replaces it). */
  baselines: Map<BaselineName, BaselineEvent>;
  /** Warnings and errors, newest last. */
  problems: { message: string; fatal: boolean }[];
}

export function emptyRunData(): RunData {
  return {
    stages: new Map(),
    trials: new Map(),
    trainLoss: [],
    trainEvals: [],
    checkpoints: new Map(),
    fusionEvals: new Map(),
    paretoUpdates: [],
    baselines: new Map(),
    problems: [],
  };
}

/** Panels whose view model an event can change; the page redraws only those. */
export type Panel = 'header' | 'trials' | 'training' | 'fusion' | 'results';

const NONE: readonly Panel[] = [];
const HEADER: readonly Panel[] = ['header'];
const TRIALS: readonly Panel[] = ['trials'];
const TRAINING: readonly Panel[] = ['training'];
const FUSION: readonly Panel[] = ['fusion'];
const RESULTS: readonly Panel[] = ['results'];
const FUSION_AND_RESULTS: readonly Panel[] = ['fusion', 'results'];

/**
 * Folds one event into `run` (mutated: the accumulator belongs to its caller) and returns
 * the panels it touched (none for events no panel shows). Unknown event types from a
 * newer engine are ignored.
 */
export function foldEvent(run: RunData, e: BomfEvent): readonly Panel[] {
  switch (e.type) {
    case 'run-start':
      run.start = e;
      run.end = undefined;
      return HEADER;
    case 'run-end':
      run.end = e;
      return HEADER;
    case 'stage-start':
      run.stages.set(e.stage, { status: 'running', total: e.total });
      if (e.space) run.space = e.space;
      return HEADER;
    case 'stage-end': {
      const total = run.stages.get(e.stage)?.total ?? 0;
      run.stages.set(e.stage, { status: e.status, total, seconds: e.seconds });
      return HEADER;
    }
    case 'trial-start':
      run.trials.set(e.trial, {
        trial: e.trial,
        params: e.params,
        source: e.source,
        status: 'running',
      });
      return TRIALS;
    case 'trial-end': {
      const known = run.trials.get(e.trial);
      run.trials.set(e.trial, {
        trial: e.trial,
        params: known?.params ?? {},
        source: known?.source ?? 'bo',
        status: e.status,
        objective: e.objective,
        error: e.error,
      });
      return TRIALS;
    }
    case 'train-progress':
      if (e.stage !== 'train') return NONE;
      run.trainLoss.push({ step: e.step, value: e.loss });
      return TRAINING;
    case 'train-eval':
      if (e.stage !== 'train') return NONE;
      run.trainEvals.push({ step: e.step, validation: e.validation });
      return TRAINING;
    case 'checkpoint':
      run.checkpoints.set(e.index, e);
      return TRAINING;
    case 'fusion-eval':
      run.fusionEvals.set(e.index, e);
      return FUSION;
    case 'pareto-update':
      run.paretoUpdates.push(e);
      return FUSION;
    case 'selection':
      run.selection = e;
      return FUSION_AND_RESULTS;
    case 'baseline':
      run.baselines.set(e.name, e);
      return RESULTS;
    case 'baseline-eval':
      // The single-objective baselines' search steps: only their result is shown.
      return NONE;
    case 'fusion-start':
    case 'job':
      // Pending candidates and job bookkeeping: the side panel shows them, the charts wait for results.
      return NONE;
    case 'error':
      run.problems.push({ message: e.message, fatal: e.fatal });
      return HEADER;
    case 'log':
      if (e.level !== 'warn') return NONE;
      run.problems.push({ message: e.message, fatal: false });
      return HEADER;
    default: {
      // Compile time: every type is handled above. Run time: a newer engine's type is skipped.
      const unknown: never = e;
      void unknown;
      return NONE;
    }
  }
}

/** Folds many events; returns the set of panels touched. */
export function foldEvents(run: RunData, events: readonly BomfEvent[]): Set<Panel> {
  const touched = new Set<Panel>();
  for (const e of events) {
    for (const panel of foldEvent(run, e)) touched.add(panel);
  }
  return touched;
}
