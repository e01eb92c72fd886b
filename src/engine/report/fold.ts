/**
 * The run report as a fold over the event log: everything in report.json comes
 * from events.jsonl, so `bomf report` can rebuild it at any time, even for a run
 * that was interrupted.
 */
import type {
  BaselineName,
  BomfEvent,
  DataSummaryEvent,
  Evaluation,
  RunStatus,
  StageName,
} from '../../contract/events';
import { appendStep } from '../../contract/step-series';
import { compareOnTest, type TestComparison } from './significance';

export interface TrialRow {
  trial: number;
  source: 'initial' | 'bo';
  params: Record<string, number>;
  status: 'running' | 'done' | 'failed';
  objective?: number;
  bestStep?: number;
  seconds?: number;
  error?: string;
}

export interface Report {
  reportVersion: 1;
  name: string;
  runId: string;
  status: RunStatus | 'running' | 'interrupted';
  engineVersion: string;
  tfjsVersion: string;
  nodeVersion: string;
  backend: string;
  stages: { stage: StageName; status: string; seconds?: number }[];
  search: { trials: TrialRow[]; best?: TrialRow };
  train: {
    losses: { step: number; loss: number }[];
    evals: { step: number; epoch: number; validation: Evaluation }[];
    checkpoints: {
      index: number;
      step: number;
      epoch: number;
      file: string;
      validation: Evaluation;
    }[];
  };
  fusion: {
    evaluations: {
      index: number;
      source: string;
      weights: number[];
      validation: Evaluation;
      objectives: number[];
    }[];
    pareto: number[];
    hypervolume: { evaluations: number; hypervolume: number }[];
    selected?: {
      index: number;
      rule: string;
      weights: number[];
      validation: Evaluation;
      test?: Evaluation;
      dir: string;
    };
  };
  baselines: {
    name: BaselineName;
    weights: number[];
    validation: Evaluation;
    test?: Evaluation;
    notes?: string[];
  }[];
  /** BOMF against each baseline on test, paired over the test examples (./significance). */
  significance: TestComparison[];
  errors: string[];
  /** The data as the latest start loaded it. */
  data?: Omit<DataSummaryEvent, 'type' | 'seq' | 'time'>;
}

/** An evaluation without its per-example arrays (they stay in the event log, not the report). */
function summaryOf(e: Evaluation): Evaluation;
function summaryOf(e: Evaluation | undefined): Evaluation | undefined;
function summaryOf(e: Evaluation | undefined): Evaluation | undefined {
  return e && { loss: e.loss, metrics: e.metrics };
}

/** @param primaryMetric - the metric significance is computed for (default: BOMF's first). */
export function foldReport(events: readonly BomfEvent[], primaryMetric?: string): Report {
  const start = events.find((e) => e.type === 'run-start');
  const report: Report = {
    reportVersion: 1,
    name: start?.type === 'run-start' ? start.name : '',
    runId: start?.type === 'run-start' ? start.runId : '',
    status: 'running',
    engineVersion: start?.type === 'run-start' ? start.engineVersion : '',
    tfjsVersion: start?.type === 'run-start' ? (start.tfjsVersion ?? '') : '',
    nodeVersion: start?.type === 'run-start' ? (start.nodeVersion ?? '') : '',
    backend: start?.type === 'run-start' ? start.backend : '',
    stages: [],
    search: { trials: [] },
    train: { losses: [], evals: [], checkpoints: [] },
    fusion: { evaluations: [], pareto: [], hypervolume: [] },
    baselines: [],
    significance: [],
    errors: [],
  };
  const tests = new Map<BaselineName, Evaluation | undefined>();
  const stageStart = new Map<StageName, number>();
  for (const e of events) {
    switch (e.type) {
      case 'run-start':
        report.backend = e.backend;
        report.status = 'running';
        break;
      case 'stage-start':
        if (!stageStart.has(e.stage)) report.stages.push({ stage: e.stage, status: 'running' });
        stageStart.set(e.stage, Date.parse(e.time));
        break;
      case 'stage-end': {
        const row = report.stages.find((s) => s.stage === e.stage);
        if (row) Object.assign(row, { status: e.status, seconds: (row.seconds ?? 0) + e.seconds });
        break;
      }
      case 'trial-start':
        report.search.trials = report.search.trials.filter((t) => t.trial !== e.trial);
        report.search.trials.push({
          trial: e.trial,
          source: e.source,
          params: e.params,
          status: 'running',
        });
        break;
      case 'trial-end': {
        const row = report.search.trials.find((t) => t.trial === e.trial);
        if (row)
          Object.assign(row, {
            status: e.status,
            objective: e.objective,
            bestStep: e.bestStep,
            seconds: e.seconds,
            error: e.error,
          });
        break;
      }
      case 'train-progress':
        if (e.stage === 'train') appendStep(report.train.losses, { step: e.step, loss: e.loss });
        break;
      case 'train-eval':
        if (e.stage === 'train')
          appendStep(report.train.evals, {
            step: e.step,
            epoch: e.epoch,
            validation: e.validation,
          });
        break;
      case 'checkpoint':
        report.train.checkpoints.push({
          index: e.index,
          step: e.step,
          epoch: e.epoch,
          file: e.file,
          validation: e.validation,
        });
        break;
      case 'fusion-eval':
        report.fusion.evaluations.push({
          index: e.index,
          source: e.source,
          weights: e.weights,
          validation: e.validation,
          objectives: e.objectives,
        });
        break;
      case 'pareto-update':
        report.fusion.pareto = e.front;
        report.fusion.hypervolume.push({ evaluations: e.evaluations, hypervolume: e.hypervolume });
        break;
      case 'selection':
        report.fusion.selected = {
          index: e.index,
          rule: e.rule,
          weights: e.weights,
          validation: e.validation,
          test: summaryOf(e.test),
          dir: e.dir,
        };
        break;
      case 'baseline':
        report.baselines.push({
          name: e.name,
          weights: e.weights,
          validation: summaryOf(e.validation),
          test: summaryOf(e.test),
          notes: e.notes,
        });
        tests.set(e.name, e.test);
        break;
      case 'error':
        report.errors.push(e.stage ? `${e.stage}: ${e.message}` : e.message);
        break;
      case 'run-end':
        report.status = e.status;
        break;
      case 'data-summary': {
        const { type: _type, seq: _seq, time: _time, ...data } = e;
        report.data = data;
        break;
      }
      default:
        break;
    }
  }
  // The primary metric is the first one evaluated (metrics follow data.metrics' order).
  const bomf = tests.get('bomf');
  const metric = primaryMetric ?? Object.keys(bomf?.metrics ?? {})[0];
  for (const [name, test] of tests) {
    if (name === 'bomf' || metric === undefined) continue;
    const c = compareOnTest(name, bomf, test, metric);
    if (c) report.significance.push(c);
  }
  const done = report.search.trials.filter((t) => t.status === 'done');
  report.search.best = done.reduce<TrialRow | undefined>(
    (a, b) => (a === undefined || b.objective! > a.objective! ? b : a),
    undefined,
  );
  return report;
}
