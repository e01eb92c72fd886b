/**
 * Training curves against step: stage 2's (training loss, validation loss and metrics,
 * checkpoints marked) and each stage-1 trial's (training loss, primary validation metric).
 */
import type { RunFold } from '../../contract/fold';

export interface XY {
  x: number;
  y: number;
}

export interface TrainingCurves {
  /** Training loss by step, sorted by step (a resumed run may repeat steps: the later wins). */
  trainLoss: XY[];
  validationLoss: XY[];
  /** One series per validation metric name (sorted by name). */
  metrics: { name: string; points: XY[] }[];
  /** Collected checkpoints at their step, with their validation loss and metrics. */
  checkpoints: { index: number; step: number; loss: number; metrics: Record<string, number> }[];
}

/** Sorts by x and keeps the last y of a repeated x. */
function byStep(points: readonly XY[]): XY[] {
  // Fast path, the usual case of a run that was never resumed: already strictly increasing.
  let increasing = true;
  for (let i = 1; i < points.length && increasing; i++)
    increasing = points[i]!.x > points[i - 1]!.x;
  if (increasing) return points.filter((p) => Number.isFinite(p.y));
  const last = new Map<number, number>();
  for (const p of points) if (Number.isFinite(p.y)) last.set(p.x, p.y);
  return [...last].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x);
}

export function trainingCurves(run: RunFold): TrainingCurves {
  const metricNames = new Set<string>();
  for (const e of run.trainEvals)
    for (const m of Object.keys(e.validation.metrics)) metricNames.add(m);
  return {
    trainLoss: byStep(run.trainLoss.map((p) => ({ x: p.step, y: p.value }))),
    validationLoss: byStep(run.trainEvals.map((e) => ({ x: e.step, y: e.validation.loss }))),
    metrics: [...metricNames].sort().map((name) => ({
      name,
      points: byStep(
        run.trainEvals
          .filter((e) => typeof e.validation.metrics[name] === 'number')
          .map((e) => ({ x: e.step, y: e.validation.metrics[name]! })),
      ),
    })),
    checkpoints: [...run.checkpoints.values()]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({
        index: c.index,
        step: c.step,
        loss: c.validation.loss,
        metrics: c.validation.metrics,
      })),
  };
}

export interface TrialCurve {
  trial: number;
  loss: XY[];
  /** The primary validation metric (the trial's objective) by step. */
  metric: XY[];
}

/** Each stage-1 trial's curves, by trial number. */
export function trialCurves(run: RunFold): TrialCurve[] {
  const metric = run.metricName;
  return [...run.trialCurves]
    .sort(([a], [b]) => a - b)
    .map(([trial, c]) => ({
      trial,
      loss: byStep(c.loss.map((p) => ({ x: p.step, y: p.value }))),
      metric:
        metric === undefined
          ? []
          : byStep(
              c.evals
                .filter((e) => typeof e.validation.metrics[metric] === 'number')
                .map((e) => ({ x: e.step, y: e.validation.metrics[metric]! })),
            ),
    }));
}
