/**
 * Choosing one fused model from the Pareto front.
 * - best-metric (default): highest primary metric on the front, ties by lower
 *   loss; what BOMF's GLUE code reports, and always Pareto-optimal.
 * - min-loss: lowest validation loss on the front.
 * - knee: the front point farthest from the line through the front's extremes
 *   in normalized objective space (two objectives), else closest to the utopia point.
 */
import type { Evaluation } from '../../contract/events';

export type SelectionRule = 'best-metric' | 'knee' | 'min-loss';

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

export function selectFromFront(
  rule: SelectionRule,
  front: Candidate[],
  primaryMetric: string,
): Candidate {
  if (front.length === 0) throw new Error('cannot select from an empty Pareto front');
  switch (rule) {
    case 'best-metric':
      return bestMetric(front, primaryMetric);
    case 'min-loss':
      return minLoss(front);
    case 'knee':
      return knee(front);
  }
}
