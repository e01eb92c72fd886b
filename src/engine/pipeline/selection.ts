/**
 * Choosing one fused model from the Pareto front.
 * - best-metric: highest primary metric on the front, ties by lower loss; what
 *   BOMF's GLUE code reports, and always Pareto-optimal.
 * - min-loss: lowest validation loss on the front.
 * - knee: the front point farthest from the line through the front's extremes
 *   in normalized objective space (two objectives), else closest to the utopia point.
 * - one-se (default since the study of docs/study.md, see docs/fusion-choices.md): noise-aware. A validation split of n examples measures the metric only to
 *   within a standard error; among front points whose metric is within one standard
 *   error of the best, the lowest validation loss (ties by higher metric). The
 *   standard error is taken at the best value: √(m(1−m)/n) for metrics in [0, 1]
 *   (accuracy, F1: binomial), (1 − m²)/√(n − 1) for correlations (MCC, Pearson,
 *   Spearman). Breiman et al.'s one-standard-error rule (CART, 1984), applied to the
 *   front.
 */
import type { Evaluation } from '../../contract/events';

export const SELECTION_RULES = ['best-metric', 'knee', 'min-loss', 'one-se'] as const;
export type SelectionRule = (typeof SELECTION_RULES)[number];

const CORRELATIONS = new Set(['mcc', 'pearson', 'spearman']);

/** Standard error of a metric value m measured on n examples (see the module comment). */
export function metricStandardError(metric: string, m: number, n: number): number {
  if (!(n > 1) || !Number.isFinite(m)) return 0;
  if (CORRELATIONS.has(metric)) return (1 - Math.min(1, m * m)) / Math.sqrt(n - 1);
  const p = Math.min(1, Math.max(0, m));
  return Math.sqrt((p * (1 - p)) / n);
}

function oneStandardError(front: Candidate[], metric: string, n: number): Candidate {
  const best = bestMetric(front, metric);
  const top = best.validation.metrics[metric]!;
  const floor = top - metricStandardError(metric, top, n);
  const near = front.filter((c) => c.validation.metrics[metric]! >= floor);
  return near.reduce((a, b) => {
    if (b.validation.loss !== a.validation.loss)
      return b.validation.loss < a.validation.loss ? b : a;
    return b.validation.metrics[metric]! > a.validation.metrics[metric]! ? b : a;
  });
}

export interface Candidate {
  index: number;
  validation: Evaluation;
  /** Normalized objectives, all maximized. */
  objectives: number[];
}

function bestMetric(front: Candidate[], metric: string): Candidate {
  return front.reduce((a, b) => {
    const ma = a.validation.metrics[metric]!;
    const mb = b.validation.metrics[metric]!;
    if (mb !== ma) return mb > ma ? b : a;
    return b.validation.loss < a.validation.loss ? b : a;
  });
}

function minLoss(front: Candidate[]): Candidate {
  return front.reduce((a, b) => (b.validation.loss < a.validation.loss ? b : a));
}

function knee(front: Candidate[]): Candidate {
  const m = front[0]!.objectives.length;
  if (front.length <= 2 || m !== 2) {
    const utopia = Array.from({ length: m }, (_, i) =>
      Math.max(...front.map((c) => c.objectives[i]!)),
    );
    const distance = (c: Candidate) => Math.hypot(...c.objectives.map((v, i) => utopia[i]! - v));
    return front.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  }
  const sorted = [...front].sort((a, b) => a.objectives[0]! - b.objectives[0]!);
  const [x1, y1] = sorted[0]!.objectives as [number, number];
  const [x2, y2] = sorted[sorted.length - 1]!.objectives as [number, number];
  const norm = Math.hypot(x2 - x1, y2 - y1) || 1;
  // Signed distance above the chord: the knee bulges towards the utopia point.
  const bulge = (c: Candidate) =>
    ((x2 - x1) * (c.objectives[1]! - y1) - (y2 - y1) * (c.objectives[0]! - x1)) / norm;
  return sorted.reduce((a, b) => (bulge(b) > bulge(a) ? b : a));
}

/** @param validationSize - examples in the validation split (rule one-se). */
export function selectFromFront(
  rule: SelectionRule,
  front: Candidate[],
  primaryMetric: string,
  validationSize = 0,
): Candidate {
  if (front.length === 0) throw new Error('cannot select from an empty Pareto front');
  switch (rule) {
    case 'best-metric':
      return bestMetric(front, primaryMetric);
    case 'min-loss':
      return minLoss(front);
    case 'knee':
      return knee(front);
    case 'one-se':
      return oneStandardError(front, primaryMetric, validationSize);
  }
}
