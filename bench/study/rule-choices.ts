/**
 * What BOMF would have chosen under other selection rules. A cell's run chooses
 * one model from its final Pareto front with its configured rule; the study also
 * reports the choice of each rule in `rules` (e.g. the noise-aware one-se beside
 * the paper's best-metric) on the same front, so both come from one search. The
 * pick is made from the run's event log exactly as stage 3 makes it; its test
 * evaluation is the one the run recorded when the pick is a model the run
 * evaluated on test anyway (its own choice, a baseline), else one new test
 * evaluation through the engine's lab, cached in the cell folder.
 */
import * as fs from 'node:fs';
import { paretoFront } from '../../src/bo';
import type { BomfEvent, Evaluation } from '../../src/contract/events';
import type { FusionEvalEvent } from '../../src/contract/fusion-events';
import { checkpointsInOrder, parseEventLog } from '../../src/contract/read-event-log';
import { sameWeights } from '../../src/engine/pipeline/fusion-observations';
import type { LabFactory } from '../../src/engine/pipeline/run';
import { type SelectionRule, selectFromFront } from '../../src/engine/pipeline/selection';
import { openRunFolder, resolveInRunFolder } from '../../src/engine/store/run-folder';
import { writeFileAtomic } from '../../src/train/atomic-write';

export interface RuleChoice {
  rule: SelectionRule;
  /** The fusion evaluation picked (its index in the run's stage 3). */
  index: number;
  weights: number[];
  validation: Evaluation;
  /** With the per-example results, for the significance columns. */
  test: Evaluation;
  /** The run had evaluated these weights on test already (its own choice or a baseline's). */
  reused: boolean;
}

/** The stage-3 evaluation that `rule` picks from the front of all the run's fusion evaluations. */
export function pickOnFront(
  events: readonly BomfEvent[],
  rule: SelectionRule,
  metric: string,
  validationSize: number,
): FusionEvalEvent {
  const evals = events.filter((e): e is FusionEvalEvent => e.type === 'fusion-eval');
  const front = paretoFront(evals.map((e) => e.objectives)).map((i) => evals[i]!);
  return selectFromFront(rule, front, metric, validationSize) as FusionEvalEvent;
}

/** A test evaluation the run recorded for exactly these weights: its own choice's, or a baseline's. */
export function recordedTest(
  events: readonly BomfEvent[],
  weights: readonly number[],
): Evaluation | undefined {
  for (const e of events) {
    if (
      (e.type === 'selection' || e.type === 'baseline') &&
      e.test &&
      sameWeights(e.weights, weights)
    )
      return e.test;
  }
  return undefined;
}

/**
 * Each rule's choice for a finished run, computed once and cached in `cacheFile`
 * (a rerun of the study reads it back; a cache made for other rules is redone).
 */
export async function ruleChoices(
  runDir: string,
  rules: readonly SelectionRule[],
  metric: string,
  validationSize: number,
  labFactory: LabFactory,
  cacheFile: string,
): Promise<RuleChoice[]> {
  const cached = readRuleChoices(cacheFile);
  if (cached && rules.every((r) => cached.some((c) => c.rule === r))) return cached;
  const { paths, config } = openRunFolder(runDir);
  const events = parseEventLog(fs.readFileSync(paths.events, 'utf8')).events;
  const members = checkpointsInOrder(events).map((c) =>
    resolveInRunFolder(paths.dir, c.file, `checkpoint ${c.index}'s file`),
  );
  let lab: Awaited<ReturnType<LabFactory>> | undefined;
  const choices: RuleChoice[] = [];
  try {
    for (const rule of rules) {
      const pick = pickOnFront(events, rule, metric, validationSize);
      const recorded = recordedTest(events, pick.weights);
      let test = recorded;
      if (!test) {
        lab ??= await labFactory(config, paths);
        test = await lab.evaluateMix(members, pick.weights, 'test');
      }
      choices.push({
        rule,
        index: pick.index,
        weights: pick.weights,
        validation: pick.validation,
        test,
        reused: recorded !== undefined,
      });
    }
  } finally {
    lab?.dispose();
  }
  writeFileAtomic(cacheFile, JSON.stringify(choices));
  return choices;
}

/** The cached choices of a cell, if they were computed. */
export function readRuleChoices(cacheFile: string): RuleChoice[] | undefined {
  if (!fs.existsSync(cacheFile)) return undefined;
  return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as RuleChoice[];
}
