/**
 * A run's state derived from its event log: a left fold over `BomfEvent`s.
 * vscode-free so the tree model and the tests can use it without an editor.
 * The log is the source of truth; this model is recomputed incrementally as
 * events arrive and never written anywhere.
 */
import {
  type BaselineName,
  type BomfEvent,
  type Evaluation,
  type RunStatus,
  STAGES,
  type StageName,
} from '../../contract/events';

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StageSummary {
  readonly stage: StageName;
  status: StageStatus;
  /** Planned units of work (trials, steps, fusion evaluations, baselines); 0 until the stage starts. */
  total: number;
  /** Units finished so far, in the same unit as `total`. */
  completed: number;
}

export interface TrialSummary {
  readonly trial: number;
  readonly params: Record<string, number>;
  readonly source: 'initial' | 'bo';
  status: 'running' | 'done' | 'failed';
  objective?: number;
  error?: string;
  /** The trial's latest job, when it runs as one (several slots, Slurm). */
  job?: { id: string; executor: 'local' | 'slurm'; state: 'queued' | 'running' | 'ended' };
}

export interface CheckpointSummary {
  readonly index: number;
  readonly step: number;
  /** Relative to the run folder. */
  readonly file: string;
  readonly validation: Evaluation;
}

export interface FusionSummary {
  readonly index: number;
  /** 'member': a checkpoint itself, entered for free before the search. */
  readonly source: 'member' | 'initial' | 'bo';
  readonly weights: number[];
  readonly validation: Evaluation;
  onFront: boolean;
}

export interface RunModel {
  readonly runDir: string;
  name: string;
  configFile?: string;
  /** pid of the engine process that wrote the latest run-start. */
  pid?: number;
  startedAt?: string;
  /** From the log alone: 'running' until a run-end; liveness decides 'interrupted' elsewhere. */
  status: RunStatus | 'running';
  currentStage?: StageName;
  stages: Record<StageName, StageSummary>;
  trials: TrialSummary[];
  checkpoints: CheckpointSummary[];
  fusion: FusionSummary[];
  hypervolume?: number;
  /** The primary metric's name (first metric seen in an evaluation). */
  metricName?: string;
  selection?: { index: number; validation: Evaluation; test?: Evaluation; dir: string };
  baselines: Partial<Record<BaselineName, { validation: Evaluation; test?: Evaluation }>>;
  lastError?: string;
  /** seq of the last folded event; -1 before any. */
  lastSeq: number;
}

/** A model with no events folded in, named after the run folder. */
export function emptyRunModel(runDir: string): RunModel {
  const stages = Object.fromEntries(
    STAGES.map((stage) => [stage, { stage, status: 'pending', total: 0, completed: 0 }]),
  ) as Record<StageName, StageSummary>;
  const base = runDir.split(/[\\/]/).filter(Boolean).pop() ?? runDir;
  return {
    runDir,
    name: base,
    status: 'running',
    stages,
    trials: [],
    checkpoints: [],
    fusion: [],
    baselines: {},
    lastSeq: -1,
  };
}

function firstMetric(e: Evaluation): string | undefined {
  return Object.keys(e.metrics)[0];
}

/**
 * Folds `events` into `model` (mutating it: the model is private to its owner,
 * and copying thousands of trials per event would be quadratic). Events whose
 * seq is not after `model.lastSeq` are skipped, so a stream and a file tail of
 * the same run can overlap safely.
 */
export function foldEvents(model: RunModel, events: readonly BomfEvent[]): RunModel {
  for (const e of events) {
    if (typeof e.seq === 'number') {
      if (e.seq <= model.lastSeq) continue;
      model.lastSeq = e.seq;
    }
    applyEvent(model, e);
  }
  return model;
}

function applyEvent(model: RunModel, e: BomfEvent): void {
  switch (e.type) {
    case 'run-start':
      model.name = e.name;
      model.configFile = e.configFile;
      model.pid = e.pid;
      model.startedAt ??= e.time;
      // A resume continues the same log: the run is live again.
      model.status = 'running';
      model.lastError = undefined;
      return;
    case 'stage-start': {
      const s = model.stages[e.stage];
      s.status = 'running';
      s.total = e.total;
      s.completed = 0;
      model.currentStage = e.stage;
      return;
    }
    case 'stage-end': {
      const s = model.stages[e.stage];
      s.status = e.status;
      if (e.status === 'done') s.completed = Math.max(s.completed, s.total);
      return;
    }
    case 'trial-start': {
      const trial: TrialSummary = {
        trial: e.trial,
        params: e.params,
        source: e.source,
        status: 'running',
      };
      const at = model.trials.findIndex((t) => t.trial === e.trial);
      if (at >= 0) model.trials[at] = trial;
      else model.trials.push(trial);
      return;
    }
    case 'trial-end': {
      const t = model.trials.find((x) => x.trial === e.trial);
      if (t) {
        t.status = e.status;
        t.objective = e.objective;
        t.error = e.error;
      }
      model.stages.search.completed = model.trials.filter((x) => x.status !== 'running').length;
      return;
    }
    case 'job': {
      const t = e.stage === 'search' && model.trials.find((x) => `trial-${x.trial}` === e.unit);
      if (t) t.job = { id: e.jobId, executor: e.executor, state: e.state };
      return;
    }
    case 'train-eval':
      model.metricName ??= firstMetric(e.validation);
      return;
    case 'checkpoint':
      model.metricName ??= firstMetric(e.validation);
      model.checkpoints = [
        ...model.checkpoints.filter((c) => c.index !== e.index),
        { index: e.index, step: e.step, file: e.file, validation: e.validation },
      ];
      model.stages.train.completed = model.checkpoints.length;
      return;
    case 'fusion-eval':
      model.metricName ??= firstMetric(e.validation);
      model.fusion.push({
        index: e.index,
        source: e.source,
        weights: e.weights,
        validation: e.validation,
        onFront: false,
      });
      model.stages.fusion.completed = model.fusion.filter((f) => f.source !== 'member').length;
      return;
    case 'pareto-update': {
      const front = new Set(e.front);
      for (const f of model.fusion) f.onFront = front.has(f.index);
      model.hypervolume = e.hypervolume;
      return;
    }
    case 'selection':
      model.selection = { index: e.index, validation: e.validation, test: e.test, dir: e.dir };
      return;
    case 'baseline':
      model.baselines[e.name] = { validation: e.validation, test: e.test };
      model.stages.baselines.completed = Object.keys(model.baselines).length;
      return;
    case 'error':
      model.lastError = e.message;
      return;
    case 'run-end':
      model.status = e.status;
      return;
    case 'log':
      return;
  }
}

/** Overall progress in [0, 1]: each stage counts equally, the running one by its fraction. */
export function runProgress(model: RunModel): number {
  let sum = 0;
  for (const stage of STAGES) {
    const s = model.stages[stage];
    if (s.status === 'done' || s.status === 'skipped') sum += 1;
    else if (s.status === 'running' && s.total > 0) sum += Math.min(1, s.completed / s.total);
  }
  return sum / STAGES.length;
}

/** The best value of the primary metric known so far, with where it comes from. */
export function bestMetric(model: RunModel): { label: string; value: number } | undefined {
  const metric = model.metricName;
  if (model.selection && metric !== undefined) {
    const value = model.selection.validation.metrics[metric];
    if (value !== undefined) return { label: `BOMF val ${metric}`, value };
  }
  const objectives = model.trials
    .map((t) => t.objective)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (objectives.length === 0) return undefined;
  return { label: `best trial ${metric ?? 'objective'}`, value: Math.max(...objectives) };
}

export type RunState = 'running' | 'done' | 'failed' | 'stopped' | 'interrupted';

/**
 * What the user sees: the log's status, except that a log without a run-end
 * whose engine process is gone is an interrupted run (killed, crashed, or the
 * machine went down) that `bomf resume` can continue.
 */
export function runState(model: RunModel, engineAlive: boolean): RunState {
  if (model.status !== 'running') return model.status;
  return engineAlive ? 'running' : 'interrupted';
}
