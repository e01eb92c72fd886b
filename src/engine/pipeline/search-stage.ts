/**
 * Stage 1: hyperparameter BO on the proxy model. Sobol trials, then LogEI on a
 * GP of the trials' objectives (best validation metric along each trajectory).
 *
 * State lives in the event log: before each suggestion the optimizer is rebuilt
 * from finished trials (in the order they finished) and the trials still
 * running (pending points), so a resumed run makes exactly the suggestions an
 * uninterrupted one would, and a trial that was cut off is run again as is (or
 * its job, still running, is reattached).
 */
import { BayesOptimizer, type Domain, type OptimizerOptions, type ParamSpec } from '../../bo';
import type { TrialEndEvent, TrialStartEvent } from '../../contract/events';
import { HYPERPARAMETERS, type ResolvedConfig } from '../config';
import { primaryMetric, type RunContext } from './context';
import { failsTheRun, type Hyperparameters, JobFailed, RunStopped } from './lab';
import { runInSlots, unitJob } from './slots';

export function searchDomain(config: ResolvedConfig): Extract<Domain, { kind: 'box' }> {
  const params: ParamSpec[] = [];
  for (const name of HYPERPARAMETERS) {
    const p = config.search.parameters[name];
    if (p) params.push({ name, type: p.type, low: p.low, high: p.high, log: p.log });
  }
  return { kind: 'box', params };
}

function optimizerOptions(config: ResolvedConfig): OptimizerOptions {
  return {
    domain: searchDomain(config),
    objectives: 1,
    seed: config.seed,
    initialDesign: config.search.initial,
    acquisition: 'logei',
  };
}

/** The config's fixed hyperparameters overridden by a trial's searched values. */
export function trialHyperparameters(
  config: ResolvedConfig,
  params: Record<string, number>,
): Hyperparameters {
  return { ...config.hyperparameters, ...params };
}

/**
 * The objective a failed trial is observed with: below every successful one (by
 * half their spread, at least a little), so the GP steers away from it; with no
 * success at all, one constant. A failure is never dropped: dropped, it would
 * leave the optimizer's state unchanged and the same point would be suggested again.
 */
export function failurePenalty(successes: readonly number[]): number {
  if (successes.length === 0) return 0;
  const worst = Math.min(...successes);
  const best = Math.max(...successes);
  return worst - Math.max(0.5 * (best - worst), 0.05 * Math.abs(worst), 1e-3);
}

/** Observations for the GP: every finished trial, a failed one at the failure penalty. */
function observations(
  starts: TrialStartEvent[],
  ends: TrialEndEvent[],
): { x: number[]; y: number[] }[] {
  const done = ends.filter((e) => e.status === 'done' && e.objective !== undefined);
  const penalty = failurePenalty(done.map((e) => e.objective!));
  const byTrial = new Map(starts.map((s) => [s.trial, s]));
  const obs: { x: number[]; y: number[] }[] = [];
  for (const end of ends) {
    const start = byTrial.get(end.trial);
    const y = end.status === 'done' && end.objective !== undefined ? end.objective : penalty;
    if (start) obs.push({ x: start.x, y: [y] });
  }
  return obs;
}

async function runOneTrial(ctx: RunContext, start: TrialStartEvent): Promise<void> {
  const t0 = Date.now();
  const { log, lab, config, signal } = ctx;
  try {
    const result = await lab.runTrial(
      trialHyperparameters(config, start.params),
      config.search.proxy,
      {
        onProgress: (p) =>
          log.append({ type: 'train-progress', stage: 'search', trial: start.trial, ...p }),
        onEval: (e) =>
          log.append({ type: 'train-eval', stage: 'search', trial: start.trial, ...e }),
        job: unitJob(ctx, 'search', `trial-${start.trial}`),
      },
      signal,
      start.trial,
    );
    if (!Number.isFinite(result.objective)) {
      throw new Error(
        `the validation ${primaryMetric(config)} is undefined (NaN): the model predicts a constant`,
      );
    }
    log.append({
      type: 'trial-end',
      trial: start.trial,
      status: 'done',
      objective: result.objective,
      bestStep: result.bestStep,
      seconds: (Date.now() - t0) / 1000,
    });
  } catch (err) {
    // A full disk is not the trial's fault: the run fails, and resume runs the trial again.
    if (err instanceof RunStopped || failsTheRun(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    log.append({
      type: 'trial-end',
      trial: start.trial,
      status: 'failed',
      error: message,
      ...(err instanceof JobFailed && err.outputTail ? { stderrTail: err.outputTail } : {}),
      seconds: (Date.now() - t0) / 1000,
    });
    log.append({
      type: 'error',
      stage: 'search',
      message: `trial ${start.trial} failed: ${message}`,
      fatal: false,
    });
  }
}

/**
 * Keeps the lab's slots busy: whenever a trial ends, the next suggestion
 * conditions on the finished trials and on the ones still running.
 */
export async function runSearchStage(ctx: RunContext): Promise<void> {
  const { log, config } = ctx;
  const unfinished = () => {
    const ended = new Set(log.ofType('trial-end').map((e) => e.trial));
    return log.ofType('trial-start').filter((s) => !ended.has(s.trial));
  };
  const slots = ctx.lab.slots ?? 1;
  await runInSlots<TrialStartEvent>({
    width: slots,
    concurrency: slots,
    // Trials that started but never ended were cut off by a kill: run them again first.
    unfinished: unfinished(),
    more: () => log.ofType('trial-start').length < config.search.budget,
    next: () => {
      const starts = log.ofType('trial-start');
      const [suggestion] = BayesOptimizer.fromObservations(
        optimizerOptions(config),
        observations(starts, log.ofType('trial-end')),
        unfinished().map((s) => s.x),
      ).suggest(1);
      return log.append({
        type: 'trial-start',
        trial: starts.length,
        params: paramsOf(config, suggestion!.point),
        x: suggestion!.x,
        source: suggestion!.source,
      }) as TrialStartEvent;
    },
    run: (start) => runOneTrial(ctx, start),
    signal: ctx.signal,
  });
}

/** Searched hyperparameters by name, from a point of the box domain. */
function paramsOf(config: ResolvedConfig, point: number[]): Record<string, number> {
  const domain = searchDomain(config);
  return Object.fromEntries(domain.params.map((p, i) => [p.name, point[i]!]));
}

/** The best finished trial's hyperparameters, or the config's own when stage 1 is off or all failed. */
export function bestHyperparameters(ctx: RunContext): { params: Hyperparameters; trial?: number } {
  const best = ctx.log
    .ofType('trial-end')
    .filter((e) => e.status === 'done' && e.objective !== undefined)
    .reduce<TrialEndEvent | undefined>(
      (a, b) => (a === undefined || b.objective! > a.objective! ? b : a),
      undefined,
    );
  if (!best) return { params: trialHyperparameters(ctx.config, {}) };
  const start = ctx.log.ofType('trial-start').find((s) => s.trial === best.trial)!;
  return { params: trialHyperparameters(ctx.config, start.params), trial: best.trial };
}
