/**
 * Stage 3's search as a heatmap: one column per fusion evaluation (in the order they were
 * made), one row per checkpoint, the cell the weight that evaluation gave the checkpoint. It
 * shows where on the simplex the optimizer looked and where the front ended up.
 */

import type { RunFold } from '../../contract/fold';
import type { FusionEvalEvent } from '../../contract/fusion-events';
import { checkpointLabel } from './fusion';

export interface HeatmapColumn {
  index: number;
  source: FusionEvalEvent['source'];
  onFront: boolean;
  chosen: boolean;
  /** One weight per checkpoint (row); 0 where the evaluation had fewer weights. */
  weights: number[];
}

export interface WeightsHeatmap {
  /** Row labels, one per checkpoint. */
  rows: string[];
  columns: HeatmapColumn[];
}

export function weightsHeatmap(run: RunFold): WeightsHeatmap {
  const evals = [...run.fusionEvals.values()].sort((a, b) => a.index - b.index);
  const count = Math.max(run.checkpoints.size, ...evals.map((e) => e.weights.length), 0);
  const rows = Array.from({ length: count }, (_, k) => checkpointLabel(run, k));
  return {
    rows,
    columns: evals.map((e) => ({
      index: e.index,
      source: e.source,
      onFront: run.front.has(e.index),
      chosen: run.selection?.index === e.index,
      weights: rows.map((_, k) => e.weights[k] ?? 0),
    })),
  };
}
