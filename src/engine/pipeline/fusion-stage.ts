/**
 * Stage 3: multi-objective BO over fusion weights. Each candidate w on the
 * simplex gives the fused model Σ w_k θ_k, evaluated on validation; the GPs
 * (one per objective) and EHVI / qLogNEHVI pick the next candidates. The members
 * and the baselines' weights (fusion-observations.ts) enter first as free
 * observations. After the budget, one model is selected from the Pareto front,
 * exported to fused/ and evaluated on test.
 */
import {
  BayesOptimizer,
  hypervolume,
  type OptimizerOptions,
  paretoFront,
  SimplexDomain,
} from '../../bo';
import { type Evaluation, type FusionEvalEvent, isSearchEvaluation } from '../../contract/events';
import type { ResolvedConfig } from '../config';
import { primaryMetric, type RunContext, throwIfStopped } from './context';
import { addBaselineObservations } from './fusion-observations';
import { makeNormalizer, type Normalizer } from './objectives';
import { selectFromFront } from './selection';
import { asCollected, collectedCheckpoints } from './train-stage';

function parametrization(config: ResolvedConfig): 'bomf-cube' | 'stick-breaking' {
  return config.fusion.domain === 'bomf-cube' ? 'bomf-cube' : 'stick-breaking';
}

/**
 * @param freeObservations - observations entered before the search (members, baselines); the
 *   Sobol design follows them (default: the members).
 */
export function fusionOptimizerOptions(
  config: ResolvedConfig,
  members: number,
  objectives: number,
  freeObservations = members,
): OptimizerOptions {
  const f = config.fusion;
  return {
    domain: {
      kind: 'simplex',
      size: members,
      parametrization: parametrization(config),
      surrogate: f.surrogate,
    },
    objectives,
    seed: config.seed,
    initialDesign: freeObservations + f.initial,
    acquisition: objectives === 1 ? 'logei' : f.acquisition === 'auto' ? undefined : f.acquisition,
    refPoint: objectives === 1 ? undefined : f.referencePoint,
  };
}

/** Fusion members (checkpoint files, absolute) and the normalizer their validation results define. */
export function fusionSetup(ctx: RunContext): { members: string[]; normalize: Normalizer } {
  const checkpoints = collectedCheckpoints(ctx);
  return {
    members: checkpoints.map((c) => asCollected(ctx, c).file),
    normalize: makeNormalizer(
      ctx.config.fusion.objectives,
      checkpoints.map((c) => c.validation),
    ),
  };
}

/** A checkpoint as a fusion candidate: its vertex of the simplex and its known validation result. */
export interface MemberCandidate {
  x: number[];
  weights: number[];
  validation: Evaluation;
}

/**
 * The collected checkpoints are fusion candidates too (the simplex's vertices),
 * already evaluated on validation in stage 2: the GPs and the front get them for
 * free, so the search starts from what the members achieve.
 */
export function memberCandidates(ctx: RunContext): MemberCandidate[] {
  const checkpoints = collectedCheckpoints(ctx);
  const domain = new SimplexDomain(checkpoints.length, parametrization(ctx.config));
  return checkpoints.map((c, k) => {
    const weights = checkpoints.map((_, i) => (i === k ? 1 : 0));
    return { x: domain.fromPoint(weights), weights, validation: c.validation };
  });
}

function appendParetoUpdate(ctx: RunContext, evals: FusionEvalEvent[]): void {
  const ys = evals.map((e) => e.objectives);
  const front = paretoFront(ys).map((i) => evals[i]!.index);
  const frontYs = front.map((i) => evals.find((e) => e.index === i)!.objectives);
  ctx.log.append({
    type: 'pareto-update',
    front,
    hypervolume: hypervolume(frontYs, ctx.config.fusion.referencePoint),
    evaluations: evals.length,
  });
}

export async function runFusionStage(ctx: RunContext): Promise<void> {
  const { config, log, lab } = ctx;
  const { members, normalize } = fusionSetup(ctx);
  const recordedMembers = log.ofType('fusion-eval').filter((e) => e.source === 'member').length;
  if (recordedMembers < members.length) {
    for (const m of memberCandidates(ctx).slice(recordedMembers)) {
      log.append({
        type: 'fusion-eval',
        index: log.ofType('fusion-eval').length,
        source: 'member',
        ...m,
        objectives: normalize(m.validation),
      });
    }
  }
  await addBaselineObservations(ctx, members, normalize);
  // The free observations (members, baselines) are the first batch; each batch ends with its
  // pareto-update, which marks where the next batch's suggestions came from.
  if (log.ofType('pareto-update').length === 0) appendParetoUpdate(ctx, log.ofType('fusion-eval'));
  const searched = (evals: FusionEvalEvent[]) => evals.filter(isSearchEvaluation).length;
  const options = fusionOptimizerOptions(
    config,
    members.length,
    config.fusion.objectives.length,
    log.ofType('fusion-eval').length - searched(log.ofType('fusion-eval')),
  );
  while (searched(log.ofType('fusion-eval')) < config.fusion.budget) {
    await throwIfStopped(ctx.signal);
    const evals = log.ofType('fusion-eval');
    const before = evals.slice(0, log.ofType('pareto-update').at(-1)!.evaluations);
    const optimizer = BayesOptimizer.fromObservations(
      options,
      before.map((e) => ({ x: e.x, y: e.objectives })),
    );
    const batch = Math.min(config.fusion.batch, config.fusion.budget - searched(before));
    // A batch cut short by a kill or a stop goes on with its own remaining suggestions.
    for (const s of optimizer.suggest(batch).slice(evals.length - before.length)) {
      await throwIfStopped(ctx.signal);
      const validation = await lab.evaluateMix(members, s.point, 'validation');
      log.append({
        type: 'fusion-eval',
        index: log.ofType('fusion-eval').length,
        source: s.source,
        x: s.x,
        weights: s.point,
        validation,
        objectives: normalize(validation),
      });
    }
    appendParetoUpdate(ctx, log.ofType('fusion-eval'));
  }
  // The last batch's update, when a kill came between its evaluations and it.
  if (log.ofType('pareto-update').at(-1)!.evaluations < log.ofType('fusion-eval').length) {
    appendParetoUpdate(ctx, log.ofType('fusion-eval'));
  }
  if (log.ofType('selection').length === 0) await selectAndExport(ctx, members);
}

async function selectAndExport(ctx: RunContext, members: string[]): Promise<void> {
  const { config, log, lab, paths } = ctx;
  const evals = log.ofType('fusion-eval');
  const front = paretoFront(evals.map((e) => e.objectives)).map((i) => evals[i]!);
  const chosen = selectFromFront(
    config.fusion.selection,
    front,
    primaryMetric(config),
    lab.validationSize,
  ) as FusionEvalEvent;
  await lab.exportMix(members, chosen.weights, paths.fused);
  const test = await lab.evaluateMix(members, chosen.weights, 'test');
  log.append({
    type: 'selection',
    index: chosen.index,
    rule: config.fusion.selection,
    weights: chosen.weights,
    validation: chosen.validation,
    test,
    dir: 'fused',
  });
}
