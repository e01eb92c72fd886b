/**
 * Stage 4: BOMF's chosen model beside the usual alternatives on the same
 * checkpoints, each evaluated on validation and on the held-out test split
 * (which nothing ever selects on). No model is evaluated twice on a split:
 * validation results come from stage 3 wherever it evaluated the same weights
 * (members, SWA, the greedy soup's trials: fusion-observations.ts), test results
 * are shared between baselines that pick the same weights, and the evaluations a
 * search-based baseline makes itself (single-objective BO, or a greedy soup in a
 * run from before stage 3 evaluated it) are recorded as baseline-eval events and
 * replayed on resume.
 */
import { BayesOptimizer } from '../../bo';
import type { Evaluation } from '../../contract/events';
import type { BaselineName } from '../../contract/fusion-events';
import { bestSingle, greedySoup, lastCheckpoint, swa } from '../../fusion';
import type { BaselineConfigName, FusionObjective } from '../config';
import { primaryMetric, type RunContext, throwIfStopped } from './context';
import { findFusionEval, memberScores, sameWeights } from './fusion-observations';
import { fusionOptimizerOptions, fusionSetup, memberCandidates } from './fusion-stage';
import { makeNormalizer } from './objectives';
import { collectedCheckpoints } from './train-stage';

type Evaluator = (weights: number[]) => Promise<Evaluation>;

/** Validation evaluator for one baseline that replays its recorded evaluations first. */
function recordingEvaluator(
  ctx: RunContext,
  name: BaselineName,
  members: string[],
  objective: (e: Evaluation) => number,
): Evaluator {
  return async (weights) => {
    const recorded =
      findFusionEval(ctx, weights) ??
      ctx.log
        .ofType('baseline-eval')
        .find((e) => e.name === name && sameWeights(e.weights, weights));
    if (recorded) return recorded.validation;
    await throwIfStopped(ctx.signal);
    const validation = await ctx.lab.evaluateMix(members, weights, 'validation');
    const index = ctx.log.ofType('baseline-eval').filter((e) => e.name === name).length;
    ctx.log.append({
      type: 'baseline-eval',
      name,
      index,
      x: weights,
      weights,
      validation,
      objective: objective(validation),
    });
    return validation;
  };
}

/** Single-objective BO over fusion weights on one normalized objective, same budget as BOMF. */
async function singleObjectiveBO(
  ctx: RunContext,
  name: 'sobo-metric' | 'sobo-loss',
  members: string[],
): Promise<number[]> {
  const { config } = ctx;
  const target = name === 'sobo-loss' ? 'loss' : (primaryMetric(config) as FusionObjective);
  const normalize = makeNormalizer(
    [target],
    collectedCheckpoints(ctx).map((c) => c.validation),
  );
  const objective = (e: Evaluation) => normalize(e)[0]!;
  const options = fusionOptimizerOptions(config, members.length, 1);
  // Like BOMF, it starts from the members as free observations.
  const known = memberCandidates(ctx).map((m) => ({
    x: m.x,
    weights: m.weights,
    objective: objective(m.validation),
  }));
  const own = () => ctx.log.ofType('baseline-eval').filter((e) => e.name === name);
  while (own().length < config.fusion.budget) {
    const optimizer = BayesOptimizer.fromObservations(
      options,
      [...known, ...own()].map((e) => ({ x: e.x, y: [e.objective] })),
    );
    const s = optimizer.suggest(1)[0]!;
    const validation =
      findFusionEval(ctx, s.point)?.validation ?? (await evaluateFresh(ctx, members, s.point));
    ctx.log.append({
      type: 'baseline-eval',
      name,
      index: own().length,
      x: s.x,
      weights: s.point,
      validation,
      objective: objective(validation),
    });
  }
  const best = [...known, ...own()].reduce((a, b) => (b.objective > a.objective ? b : a));
  return best.weights;
}

async function evaluateFresh(
  ctx: RunContext,
  members: string[],
  weights: number[],
): Promise<Evaluation> {
  await throwIfStopped(ctx.signal);
  return ctx.lab.evaluateMix(members, weights, 'validation');
}

async function baselineWeights(
  ctx: RunContext,
  name: BaselineConfigName,
  members: string[],
): Promise<{ weights: number[]; notes?: string[] }> {
  const metric = primaryMetric(ctx.config);
  const scores = memberScores(ctx);
  switch (name) {
    case 'best-single':
      return { weights: bestSingle(scores) };
    case 'last':
      return { weights: lastCheckpoint(members.length) };
    case 'swa':
      return { weights: swa(members.length) };
    case 'greedy-soup': {
      const evaluate = recordingEvaluator(ctx, name, members, (e) => e.metrics[metric]!);
      return greedySoup(scores, async (w) => {
        const e = await evaluate(w);
        return { metric: e.metrics[metric]!, loss: e.loss };
      });
    }
    case 'sobo-metric':
    case 'sobo-loss':
      return { weights: await singleObjectiveBO(ctx, name, members) };
  }
}

/** A recorded test evaluation of the same weights (BOMF's choice or an earlier baseline). */
function recordedTest(ctx: RunContext, weights: number[]): Evaluation | undefined {
  const chosen = ctx.log.ofType('selection')[0];
  if (chosen?.test && sameWeights(chosen.weights, weights)) return chosen.test;
  return ctx.log.ofType('baseline').find((b) => b.test && sameWeights(b.weights, weights))?.test;
}

export async function runBaselinesStage(ctx: RunContext): Promise<void> {
  const { config, log, lab } = ctx;
  const { members } = fusionSetup(ctx);
  const done = new Set(log.ofType('baseline').map((b) => b.name));
  if (!done.has('bomf')) {
    const selection = log.ofType('selection')[0]!;
    log.append({
      type: 'baseline',
      name: 'bomf',
      weights: selection.weights,
      validation: selection.validation,
      test: selection.test,
      fusionEval: selection.index,
    });
  }
  for (const name of config.baselines) {
    if (done.has(name)) continue;
    const { weights, notes } = await baselineWeights(ctx, name, members);
    await throwIfStopped(ctx.signal);
    const observed = findFusionEval(ctx, weights);
    const validation =
      observed?.validation ??
      ctx.log.ofType('baseline-eval').find((e) => sameWeights(e.weights, weights))?.validation ??
      (await lab.evaluateMix(members, weights, 'validation'));
    const test = recordedTest(ctx, weights) ?? (await lab.evaluateMix(members, weights, 'test'));
    log.append({
      type: 'baseline',
      name,
      weights,
      validation,
      test,
      notes,
      ...(observed ? { fusionEval: observed.index } : {}),
    });
  }
}
