/**
 * Fusion objectives, all maximized and min–max normalized over the collected
 * checkpoints (0 = worst member, 1 = best member on that objective), so loss and
 * metrics live on comparable scales for the GPs and the reference point.
 * The loss is flipped as (max − L)/(max − min): the paper's code writes a formula
 * that vanishes on narrow loss ranges (docs/config.md).
 */

import type { Evaluation } from '../../contract/events';
import type { FusionObjective } from '../config';

export type Normalizer = (e: Evaluation) => number[];

/** Raw value of one objective, in its "higher is better" orientation. */
export function orientedValue(objective: FusionObjective, e: Evaluation): number {
  if (objective === 'loss') return -e.loss;
  const v = e.metrics[objective];
  if (v === undefined) throw new Error(`the evaluation has no metric '${objective}'`);
  return v;
}

/**
 * Normalized objectives. A metric that is undefined for a model (NaN: Pearson of
 * constant predictions) maps to −1, below every member, so BO avoids it without
 * feeding NaN to a GP.
 */
export function makeNormalizer(objectives: FusionObjective[], members: Evaluation[]): Normalizer {
  const ranges = objectives.map((o) => {
    const values = members.map((m) => orientedValue(o, m)).filter(Number.isFinite);
    if (values.length === 0) return { lo: 0, span: 1 };
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    // Members that all agree leave no range: fall back to unit scale around them.
    return { lo, span: hi - lo > 1e-12 ? hi - lo : 1 };
  });
  return (e) =>
    objectives.map((o, i) => {
      const v = orientedValue(o, e);
      return Number.isFinite(v) ? (v - ranges[i]!.lo) / ranges[i]!.span : -1;
    });
}
