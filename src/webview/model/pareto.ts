/**
 * Stage 3 view model: every fusion evaluation as a point in validation loss–metric space,
 * the engine's Pareto front highlighted and connected, the chosen fused model, baselines.
 */
import { paretoFront } from '../../bo/pareto';
import type { Evaluation } from '../../contract/events';
import type { RunFold } from '../../contract/fold';
import type { BaselineName, FusionEvalEvent } from '../../contract/fusion-events';

/** An axis of the Pareto plot: the validation loss or one validation metric. */
export interface Dimension {
  /** 'loss' or 'metric:<name>'. */
  key: string;
  label: string;
  /** Loss is minimized, metrics are maximized. */
  maximize: boolean;
}

export interface ParetoPoint {
  /** Index of the fusion-eval event. */
  index: number;
  x: number;
  y: number;
  source: FusionEvalEvent['source'];
  weights: number[];
  validation: Evaluation;
  /** On the engine's latest Pareto front (over all objectives). */
  onFront: boolean;
}

export interface BaselinePoint {
  name: BaselineName;
  x: number;
  y: number;
  weights: number[];
  validation: Evaluation;
}

export interface ParetoSeries {
  xDim: Dimension;
  yDim: Dimension;
  /** Every fusion evaluation, by index. */
  points: ParetoPoint[];
  /**
   * The line through the front: front members not dominated in the two plotted dimensions,
   * sorted by x. With two objectives this is the whole front; with more, the projection of
   * the front onto a pair of axes is not a front, and only its 2-D non-dominated part makes
   * a readable staircase (the other members stay highlighted as points).
   */
  frontLine: ParetoPoint[];
  chosen?: ParetoPoint;
  /** Every baseline except 'bomf' (which is the chosen point itself). */
  baselines: BaselinePoint[];
}

export const LOSS_DIMENSION: Dimension = { key: 'loss', label: 'validation loss', maximize: false };

/** The loss and every validation metric seen in fusion evaluations (metrics sorted by name). */
export function paretoDimensions(run: RunFold): Dimension[] {
  const names = new Set<string>();
  for (const e of run.fusionEvals.values())
    for (const m of Object.keys(e.validation.metrics)) names.add(m);
  return [
    LOSS_DIMENSION,
    ...[...names]
      .sort()
      .map((name) => ({ key: `metric:${name}`, label: `validation ${name}`, maximize: true })),
  ];
}

/** Default axes: loss against the first metric (or loss against loss when there is no metric). */
export function defaultAxes(dims: readonly Dimension[]): [Dimension, Dimension] {
  return [dims[0] ?? LOSS_DIMENSION, dims[1] ?? dims[0] ?? LOSS_DIMENSION];
}

/** The value of `dim` in an evaluation; NaN when the metric is missing. */
export function dimensionValue(evaluation: Evaluation, dim: Dimension): number {
  if (dim.key === 'loss') return evaluation.loss;
  const v = evaluation.metrics[dim.key.slice('metric:'.length)];
  return typeof v === 'number' ? v : Number.NaN;
}

export function paretoSeries(run: RunFold, xDim: Dimension, yDim: Dimension): ParetoSeries {
  const latest = run.paretoUpdates[run.paretoUpdates.length - 1];
  const front = new Set(latest?.front ?? []);
  const points: ParetoPoint[] = [...run.fusionEvals.values()]
    .sort((a, b) => a.index - b.index)
    .map((e) => ({
      index: e.index,
      x: dimensionValue(e.validation, xDim),
      y: dimensionValue(e.validation, yDim),
      source: e.source,
      weights: e.weights,
      validation: e.validation,
      onFront: front.has(e.index),
    }));
  const members = points.filter((p) => p.onFront);
  // NOTE: paretoFront maximizes, so a minimized dimension enters with its sign flipped.
  const signed = members.map((p) => [xDim.maximize ? p.x : -p.x, yDim.maximize ? p.y : -p.y]);
  const frontLine = paretoFront(signed)
    .map((i) => members[i]!)
    .sort((a, b) => a.x - b.x || a.y - b.y);
  const chosenIndex = run.selection?.index;
  const baselines: BaselinePoint[] = [...run.baselines.values()]
    .filter((b) => b.name !== 'bomf')
    .map((b) => ({
      name: b.name,
      x: dimensionValue(b.validation, xDim),
      y: dimensionValue(b.validation, yDim),
      weights: b.weights,
      validation: b.validation,
    }));
  return {
    xDim,
    yDim,
    points,
    frontLine,
    chosen: points.find((p) => p.index === chosenIndex),
    baselines,
  };
}
