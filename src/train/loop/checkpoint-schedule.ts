/**
 * When to collect fusion members: K checkpoints evenly spaced over the tail of
 * training, from a start fraction to the very last step (BOMF: about 15 members
 * after 50% of training).
 */

/**
 * Steps (1-based, strictly increasing) at which checkpoints are saved: with
 * s = round(start·T), checkpoint k (k = 1..K) is at round(s + k·(T − s)/K), so the
 * last one is step T and the spacing is (T − s)/K.
 */
export function checkpointSteps(totalSteps: number, count: number, start: number): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`checkpoints.count must be a positive integer, got ${count}`);
  if (!(start >= 0 && start < 1))
    throw new Error(`checkpoints.start must be in [0, 1), got ${start}`);
  const first = Math.round(start * totalSteps);
  const span = totalSteps - first;
  if (count > span)
    throw new Error(
      `checkpoints.count = ${count} exceeds the ${span} steps between ${Math.round(start * 100)}% ` +
        `of training and its end (${totalSteps} steps): lower the count or the start fraction`,
    );
  return Array.from({ length: count }, (_, k) => Math.round(first + ((k + 1) * span) / count));
}

/** `ckpt-00.safetensors`, `ckpt-01.safetensors`, … */
export function checkpointFileName(index: number): string {
  return `ckpt-${String(index).padStart(2, '0')}.safetensors`;
}

/** The training-state file saved beside a checkpoint: `ckpt-03.state.safetensors`. */
export function trainingStateFileFor(checkpointFile: string): string {
  return `${checkpointFile.replace(/\.safetensors$/, '')}.state.safetensors`;
}
