/** Stage 3 view models besides the Pareto plot: hypervolume trace and the chosen weights. */
import type { RunFold } from '../../contract/fold';

/** Hypervolume of the front after each evaluation: x = evaluations so far. */
export function hypervolumeSeries(run: RunFold): { x: number; y: number }[] {
  const byCount = new Map<number, number>();
  for (const u of run.paretoUpdates) byCount.set(u.evaluations, u.hypervolume);
  return [...byCount].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x);
}

export interface CheckpointWeights {
  /** One label per checkpoint, e.g. "ckpt 3 · step 180". */
  labels: string[];
  /** The chosen fused model's weights, one per checkpoint (empty before the selection). */
  chosen: number[];
}

/**
 * The chosen model's fusion weights per checkpoint: from the selection event, or else from
 * the 'bomf' baseline. Labels come from the checkpoint events where known.
 */
export function chosenWeights(run: RunFold): CheckpointWeights {
  const chosen = run.selection?.weights ?? run.baselines.get('bomf')?.weights ?? [];
  const count = Math.max(chosen.length, run.checkpoints.size);
  const labels: string[] = [];
  for (let k = 0; k < count; k++) labels.push(checkpointLabel(run, k));
  return { labels, chosen: [...chosen] };
}

export function checkpointLabel(run: RunFold, k: number): string {
  const c = run.checkpoints.get(k);
  return c ? `ckpt ${k} · step ${c.step}` : `ckpt ${k}`;
}
