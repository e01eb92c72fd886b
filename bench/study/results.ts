/**
 * The study results JSON: per cell, every method's validation and test
 * evaluations, the hypervolume curves of the three fusion searches, stage-1
 * trials and timings; plus the context rows and the two side experiments. It is
 * everything docs/study.md is generated from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hypervolume } from '../../src/bo';
import type { BomfEvent, Evaluation } from '../../src/contract/events';
import {
  type BaselineName,
  type FusionEvalEvent,
  isSearchEvaluation,
} from '../../src/contract/fusion-events';
import type { ResolvedConfig } from '../../src/engine/config';
import { makeNormalizer } from '../../src/engine/pipeline/objectives';
import type { SelectionRule } from '../../src/engine/pipeline/selection';
import { foldReport } from '../../src/engine/report/fold';
import { compareOnTest, type TestComparison } from '../../src/engine/report/significance';
import { writeFileAtomic } from '../../src/train/atomic-write';
import { runEvents } from './cell-data';
import type { TfidfResult } from './context/tfidf-baseline';
import type { LandscapeResult } from './landscape';
import type { RuleChoice } from './rule-choices';
import type { TransferResult } from './transfer';

export const RESULTS_VERSION = 2;

/** BOMF's choice from the same front under another selection rule (rule-choices.ts). */
export type RuleMethod = `bomf (${SelectionRule})`;
/** A row of the study: BOMF with the run's own rule (`bomf`), a baseline, or a RuleMethod. */
export type StudyMethod = BaselineName | RuleMethod;

export function ruleMethod(rule: SelectionRule): RuleMethod {
  return `bomf (${rule})`;
}

/**
 * One BOMF choice against one other method on test, paired over the test examples
 * (src/engine/report/significance.ts): the metric difference with its 95% interval
 * and the verdict; the per-example arrays stay in the run folder.
 */
export interface Significance {
  against: StudyMethod;
  verdict: TestComparison['verdict'];
  difference: number;
  low: number;
  high: number;
  /** McNemar's exact p (accuracy only). */
  p?: number;
}

export interface MethodResult {
  weights: number[];
  validation: Evaluation;
  test?: Evaluation;
}

export interface CellResult {
  task: string;
  seed: number;
  status: string;
  /** Relative to the study folder. */
  runDir?: string;
  backend?: string;
  checkpoints: number;
  /** Split sizes the run used. */
  sizes: { train: number; validation: number; test: number };
  stageSeconds: Record<string, number>;
  /** The rule the run chose its model with (method `bomf`). */
  rule?: string;
  methods: Partial<Record<StudyMethod, MethodResult>>;
  /** Per BOMF choice (`bomf` and each RuleMethod): against every other method of the cell. */
  significance: Partial<Record<StudyMethod, Significance[]>>;
  /**
   * Hypervolume of the checkpoints plus the fused models evaluated so far
   * (normalized objectives, the run's reference point): entry 0 = checkpoints
   * alone, entry i = after i searched evaluations. BOMF's multi-objective search
   * and the two single-objective searches, measured the same way.
   */
  hypervolume: Partial<Record<'bomf' | 'sobo-metric' | 'sobo-loss', number[]>>;
  trials: { params: Record<string, number>; objective?: number; status: string }[];
  tfidf?: TfidfResult;
  /** Test metrics of predicting the majority class everywhere (classification only). */
  majority?: Record<string, number>;
}

export interface TaskInfo {
  name: string;
  /** The primary metric (first of data.metrics): the study's comparisons use it. */
  metric: string;
  metrics: string[];
  kind: 'classification' | 'regression';
  objectives: string[];
  exampleConfig: string;
  limit?: { train?: number; validation?: number; test?: number };
}

export interface StudyResults {
  resultsVersion: typeof RESULTS_VERSION;
  name: string;
  /** The command that (re)produces or resumes the study. */
  command: string;
  updated: string;
  /** The model every cell started from (the study's pinned copy of it). */
  model: { source: string; sha256: string };
  seeds: number[];
  methods: StudyMethod[];
  tasks: TaskInfo[];
  cells: CellResult[];
  published: { citation: string; scores: Record<string, Record<string, number>> };
  landscape?: LandscapeResult;
  transfer?: TransferResult;
}

/**
 * Running hypervolume: entry 0 is the hypervolume of `start` alone (the
 * checkpoints, which every search knows for free), entry i that of `start` plus
 * the first i evaluated points (normalized objectives, all maximized).
 */
export function hypervolumeCurve(
  start: readonly number[][],
  points: readonly number[][],
  ref: readonly number[],
): number[] {
  const curve: number[] = [];
  for (let n = 0; n <= points.length; n++)
    curve.push(hypervolume([...start, ...points.slice(0, n)], ref));
  return curve;
}

function significanceOf(c: TestComparison, against: StudyMethod): Significance {
  const d = c.metricDifference;
  return {
    against,
    verdict: c.verdict,
    difference: d.difference,
    low: d.low,
    high: d.high,
    ...(c.mcnemar ? { p: c.mcnemar.p } : {}),
  };
}

/** Each rule's choice against the run's own choice and every baseline, on the test examples. */
function choiceSignificance(
  events: readonly BomfEvent[],
  choice: RuleChoice,
  metric: string,
): Significance[] {
  return events.flatMap((e) => {
    if (e.type !== 'baseline') return [];
    const c = compareOnTest(e.name, choice.test, e.test, metric);
    return c ? [significanceOf(c, e.name)] : [];
  });
}

const summary = (e: Evaluation | undefined): Evaluation | undefined =>
  e && { loss: e.loss, metrics: e.metrics };

/**
 * Folds a cell's run folder into its results (works for unfinished runs too);
 * `choices` are BOMF's picks under the study's other selection rules.
 */
export function cellResult(
  studyDir: string,
  cell: { task: string; seed: number },
  runDir: string,
  config: ResolvedConfig,
  sizes: CellResult['sizes'],
  choices: readonly RuleChoice[] = [],
): CellResult {
  const events = runEvents(runDir);
  const metric = config.data.metrics[0]!;
  const report = foldReport(events, metric);
  const methods: CellResult['methods'] = {};
  for (const b of report.baselines) {
    methods[b.name] = { weights: b.weights, validation: b.validation, test: b.test };
  }
  const significance: CellResult['significance'] = {};
  if (report.significance.length > 0)
    significance.bomf = report.significance.map((c) => significanceOf(c, c.baseline));
  for (const choice of choices) {
    const name = ruleMethod(choice.rule);
    methods[name] = {
      weights: choice.weights,
      validation: choice.validation,
      test: summary(choice.test),
    };
    significance[name] = choiceSignificance(events, choice, metric);
  }
  const normalize = makeNormalizer(
    config.fusion.objectives,
    report.train.checkpoints.map((c) => c.validation),
  );
  const ref = config.fusion.referencePoint;
  const hv: CellResult['hypervolume'] = {};
  const start = report.train.checkpoints.map((c) => normalize(c.validation));
  const fusion = events.filter((e): e is FusionEvalEvent => e.type === 'fusion-eval');
  // BOMF's search also starts from the baselines' weights it evaluated before searching.
  const free = fusion.filter((e) => e.source === 'baseline').map((e) => normalize(e.validation));
  const searched = fusion.filter(isSearchEvaluation);
  if (searched.length > 0)
    hv.bomf = hypervolumeCurve(
      [...start, ...free],
      searched.map((e) => normalize(e.validation)),
      ref,
    );
  for (const name of ['sobo-metric', 'sobo-loss'] as const) {
    const evals = events.filter((e) => e.type === 'baseline-eval' && e.name === name);
    if (evals.length > 0)
      hv[name] = hypervolumeCurve(
        start,
        evals.map((e) => normalize((e as { validation: Evaluation }).validation)),
        ref,
      );
  }
  return {
    task: cell.task,
    seed: cell.seed,
    status: report.status,
    runDir: path.relative(studyDir, runDir),
    backend: report.backend,
    rule: report.fusion.selected?.rule,
    checkpoints: report.train.checkpoints.length,
    sizes,
    stageSeconds: Object.fromEntries(report.stages.map((s) => [s.stage, s.seconds ?? 0])),
    methods,
    significance,
    hypervolume: hv,
    trials: report.search.trials.map((t) => ({
      params: t.params,
      objective: t.objective,
      status: t.status,
    })),
  };
}

/** Writes the results atomically (the study may be interrupted at any time). */
export function writeResults(file: string, results: StudyResults): void {
  writeFileAtomic(file, `${JSON.stringify(results, null, 1)}\n`);
}

export function readResults(file: string): StudyResults {
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as StudyResults;
  if (results.resultsVersion !== RESULTS_VERSION)
    throw new Error(
      `${file}: results version ${results.resultsVersion}, expected ${RESULTS_VERSION}`,
    );
  return results;
}
