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
import type { Evaluation } from '../../contract/events';
import {
  type FusionEvalEvent,
  type FusionStartEvent,
  isSearchEvaluation,
} from '../../contract/fusion-events';
import type { ResolvedConfig } from '../config';
import { primaryMetric, type RunContext } from './context';
import { addBaselineObservations } from './fusion-observations';
import { JobFailed } from './lab';
import { makeNormalizer, type Normalizer } from './objectives';
import { selectFromFront } from './selection';
import { jobFailed, runInSlots, unitJob } from './slots';
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

/** Writes the front of every evaluation so far unless the latest pareto-update already covers them. */
function catchUpParetoUpdate(ctx: RunContext): void {
  const evals = ctx.log.ofType('fusion-eval');
  const covered = ctx.log.ofType('pareto-update').at(-1)?.evaluations ?? 0;
  if (covered < evals.length) appendParetoUpdate(ctx, evals);
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
  // The free observations (members, baselines) come first, with their front; after a kill
  // between an evaluation and its update, the missing update is written before going on.
  catchUpParetoUpdate(ctx);
  const options = fusionOptimizerOptions(
    config,
    members.length,
    config.fusion.objectives.length,
    log.ofType('fusion-eval').filter((e) => !isSearchEvaluation(e)).length,
  );
  await runInSlots<FusionStartEvent>({
    width: Math.max(config.fusion.batch, lab.evaluationSlots ?? 1),
    concurrency: lab.evaluationSlots ?? 1,
    unfinished: pendingCandidates(ctx),
    // Searched evaluations of logs from before fusion-start count toward the budget too.
    more: () =>
      log.ofType('fusion-start').length +
        log.ofType('fusion-eval').filter((e) => isSearchEvaluation(e) && e.candidate === undefined)
          .length <
      config.fusion.budget,
    next: () => {
      const [s] = BayesOptimizer.fromObservations(
        options,
        log.ofType('fusion-eval').map((e) => ({ x: e.x, y: e.objectives })),
        pendingCandidates(ctx).map((c) => c.x),
      ).suggest(1);
      return log.append({
        type: 'fusion-start',
        candidate: log.ofType('fusion-start').length,
        source: s!.source === 'bo' ? 'bo' : 'initial',
        x: s!.x,
        weights: s!.point,
      }) as FusionStartEvent;
    },
    run: async (c) => {
      const unit = `eval-${c.candidate}`;
      let validation: Evaluation;
      try {
        validation = await lab.evaluateMix(members, c.weights, 'validation', {
          ...unitJob(ctx, 'fusion', unit),
          signal: ctx.signal,
        });
      } catch (err) {
        // A job killed from outside loses one candidate, not the run.
        if (!(err instanceof JobFailed)) throw err;
        log.append({
          type: 'error',
          stage: 'fusion',
          message: `${unit} failed: ${err.message}`,
          fatal: false,
        });
        return;
      }
      log.append({
        type: 'fusion-eval',
        index: log.ofType('fusion-eval').length,
        source: c.source,
        x: c.x,
        weights: c.weights,
        validation,
        objectives: normalize(validation),
        candidate: c.candidate,
      });
      appendParetoUpdate(ctx, log.ofType('fusion-eval'));
    },
    signal: ctx.signal,
  });
  catchUpParetoUpdate(ctx);
  if (log.ofType('selection').length === 0) await selectAndExport(ctx, members);
}

/** Suggested candidates not yet evaluated and whose job did not fail: running, or cut off by a kill. */
function pendingCandidates(ctx: RunContext): FusionStartEvent[] {
  const evaluated = new Set(ctx.log.ofType('fusion-eval').map((e) => e.candidate));
  return ctx.log
    .ofType('fusion-start')
    .filter((c) => !evaluated.has(c.candidate) && !jobFailed(ctx, `eval-${c.candidate}`));
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
