/**
 * Fused models are evaluated on validation once per run, whoever asks: the members (stage 2), the
 * baselines' weights (uniform SWA, the greedy soup and the soups it tries) before the search, the
 * search itself, and stage 4, which finds them all in the log. Entering the baselines as
 * observations also puts them on the search's Pareto front, so BOMF's validation front dominates
 * or equals best-single, last, SWA and greedy soup by construction.
 */
import { SimplexDomain } from '../../bo';
import type { Evaluation } from '../../contract/events';
import type { BaselineName, FusionEvalEvent } from '../../contract/fusion-events';
import { greedySoup, type MemberScore, swa } from '../../fusion';
import { primaryMetric, type RunContext, throwIfStopped } from './context';
import type { Normalizer } from './objectives';
import { collectedCheckpoints } from './train-stage';

/** Weights this close (max-norm) are the same fused model: JSON keeps every digit of a double. */
const SAME_WEIGHTS = 1e-12;

export function sameWeights(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, k) => Math.abs(v - b[k]!) <= SAME_WEIGHTS);
}

/** The recorded stage-3 evaluation of exactly these weights, if any. */
export function findFusionEval(ctx: RunContext, weights: number[]): FusionEvalEvent | undefined {
  return ctx.log.ofType('fusion-eval').find((e) => sameWeights(e.weights, weights));
}

/** The members' validation scores in the primary metric (for best-single and greedy soup). */
export function memberScores(ctx: RunContext): MemberScore[] {
  const metric = primaryMetric(ctx.config);
  return collectedCheckpoints(ctx).map((c) => ({
    metric: c.validation.metrics[metric]!,
    loss: c.validation.loss,
  }));
}

/**
 * Validation of a baseline's weights as a stage-3 observation: the recorded one, or a fresh
 * evaluation appended as a fusion-eval with source 'baseline'.
 */
export function observationEvaluator(
  ctx: RunContext,
  members: string[],
  normalize: Normalizer,
  baseline: BaselineName,
): (weights: number[]) => Promise<Evaluation> {
  const domain = new SimplexDomain(
    members.length,
    ctx.config.fusion.domain === 'bomf-cube' ? 'bomf-cube' : 'stick-breaking',
  );
  return async (weights) => {
    const recorded = findFusionEval(ctx, weights);
    if (recorded) return recorded.validation;
    await throwIfStopped(ctx.signal);
    const validation = await ctx.lab.evaluateMix(members, weights, 'validation');
    ctx.log.append({
      type: 'fusion-eval',
      index: ctx.log.ofType('fusion-eval').length,
      source: 'baseline',
      baseline,
      x: domain.fromPoint(weights),
      weights,
      validation,
      objectives: normalize(validation),
    });
    return validation;
  };
}

/**
 * Evaluates the configured weight baselines (SWA, greedy soup) as stage-3 observations.
 * Idempotent: on resume every recorded evaluation is found again, so only the rest is computed.
 */
export async function addBaselineObservations(
  ctx: RunContext,
  members: string[],
  normalize: Normalizer,
): Promise<void> {
  const wanted = ctx.config.baselines;
  if (wanted.includes('swa')) {
    await observationEvaluator(ctx, members, normalize, 'swa')(swa(members.length));
  }
  if (wanted.includes('greedy-soup')) {
    const evaluate = observationEvaluator(ctx, members, normalize, 'greedy-soup');
    const metric = primaryMetric(ctx.config);
    await greedySoup(memberScores(ctx), async (w) => {
      const e = await evaluate(w);
      return { metric: e.metrics[metric]!, loss: e.loss };
    });
  }
}
