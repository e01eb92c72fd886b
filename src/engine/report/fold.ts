/**
 * The run report as a projection of the event log's fold: everything in report.json
 * comes from events.jsonl, so `bomf report` can rebuild it at any time, even for a run
 * that was interrupted.
 */
import {
  type BomfEvent,
  type DataSummaryEvent,
  type Evaluation,
  type RunStatus,
  STAGES,
  type StageName,
} from '../../contract/events';
import { foldLog, trialsInOrder } from '../../contract/fold';
import type { BaselineName, SelectionEvent } from '../../contract/fusion-events';
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
    selected?: Omit<SelectionEvent, 'type' | 'seq' | 'time'>;
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
  /** What the run loaded (the data-summary event). */
  data?: Omit<DataSummaryEvent, 'type' | 'seq' | 'time'>;
}

/** An evaluation without its per-example arrays (they stay in the event log, not the report). */
function summaryOf(e: Evaluation): Evaluation;
function summaryOf(e: Evaluation | undefined): Evaluation | undefined;
function summaryOf(e: Evaluation | undefined): Evaluation | undefined {
  return e && { loss: e.loss, metrics: e.metrics };
}

/** BOMF against each other method on test, in the primary metric (default: BOMF's first). */
function significanceOf(
  baselines: Iterable<{ name: BaselineName; test?: Evaluation }>,
  primaryMetric: string | undefined,
): TestComparison[] {
  const tests = new Map([...baselines].map((b) => [b.name, b.test]));
  const bomf = tests.get('bomf');
  const metric = primaryMetric ?? Object.keys(bomf?.metrics ?? {})[0];
  const rows: TestComparison[] = [];
  for (const [name, test] of tests) {
    if (name === 'bomf' || metric === undefined) continue;
    const c = compareOnTest(name, bomf, test, metric);
    if (c) rows.push(c);
  }
  return rows;
}

/**
 * Projects the contract's fold of the log (src/contract/fold.ts) onto report.json's shape.
 * @param primaryMetric - the metric significance is computed for (default: BOMF's first).
 */
export function foldReport(events: readonly BomfEvent[], primaryMetric?: string): Report {
  const run = foldLog(events);
  const start = run.start;
  const trials: TrialRow[] = trialsInOrder(run).map((t) => ({ ...t }));
  const done = trials.filter((t) => t.status === 'done' && t.objective !== undefined);
  const selected = run.selection;
  return {
    reportVersion: 1,
    name: start?.name ?? '',
    runId: start?.runId ?? '',
    status: run.status,
    engineVersion: start?.engineVersion ?? '',
    tfjsVersion: start?.tfjsVersion ?? '',
    nodeVersion: start?.nodeVersion ?? '',
    backend: start?.backend ?? '',
    stages: STAGES.filter((stage) => run.stages[stage].status !== 'pending').map((stage) => ({
      stage,
      status: run.stages[stage].status,
      seconds: run.stages[stage].seconds,
    })),
    search: {
      trials,
      best: done.reduce<TrialRow | undefined>(
        (a, b) => (a === undefined || b.objective! > a.objective! ? b : a),
        undefined,
      ),
    },
    train: {
      losses: run.trainLoss.map((p) => ({ step: p.step, loss: p.value })),
      evals: run.trainEvals.map((e) => ({
        step: e.step,
        epoch: e.epoch,
        validation: e.validation,
      })),
      checkpoints: [...run.checkpoints.values()]
        .sort((a, b) => a.index - b.index)
        .map((c) => ({
          index: c.index,
          step: c.step,
          epoch: c.epoch,
          file: c.file,
          validation: c.validation,
        })),
    },
    fusion: {
      evaluations: [...run.fusionEvals.values()].map((e) => ({
        index: e.index,
        source: e.source,
        weights: e.weights,
        validation: e.validation,
        objectives: e.objectives,
      })),
      pareto: run.paretoUpdates.at(-1)?.front ?? [],
      hypervolume: run.paretoUpdates.map((u) => ({
        evaluations: u.evaluations,
        hypervolume: u.hypervolume,
      })),
      selected: selected && {
        index: selected.index,
        rule: selected.rule,
        weights: selected.weights,
        validation: selected.validation,
        test: summaryOf(selected.test),
        dir: selected.dir,
      },
    },
    baselines: [...run.baselines.values()].map((b) => ({
      name: b.name,
      weights: b.weights,
      validation: summaryOf(b.validation),
      test: summaryOf(b.test),
      notes: b.notes,
    })),
    significance: significanceOf(run.baselines.values(), primaryMetric),
    errors: run.problems
      .filter((p) => p.level === 'error')
      .map((p) => (p.stage ? `${p.stage}: ${p.message}` : p.message)),
    ...(run.dataSummary ? { data: dataOf(run.dataSummary) } : {}),
  };
}

function dataOf(e: DataSummaryEvent): Report['data'] {
  const { type: _type, seq: _seq, time: _time, ...data } = e;
  return data;
}
