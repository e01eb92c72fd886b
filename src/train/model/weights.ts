/** Copying weights between TF.js variables and host-side NamedTensors. */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../named-tensors';

/** Snapshot of every variable as float32 host arrays (copies). */
export function readVariables(vars: Map<string, tf.Variable>): NamedTensors {
  const out: NamedTensors = new Map();
  for (const [name, v] of vars)
    out.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
  return out;
}

/**
 * Assigns `w` to the variables with the same names. Shapes must match. With
 * `strict` (the default) every variable must be present in `w` and `w` may hold
 * no other names; otherwise absent names keep their value and extra names are ignored.
 */
export function assignVariables(
  vars: Map<string, tf.Variable>,
  w: NamedTensors,
  strict = true,
): void {
  if (strict) {
    const missing = [...vars.keys()].filter((n) => !w.has(n));
    const unexpected = [...w.keys()].filter((n) => !vars.has(n));
    if (missing.length > 0 || unexpected.length > 0)
      throw new Error(
        `setWeights: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
      );
  }
  for (const [name, t] of w) {
    const v = vars.get(name);
    if (v === undefined) continue;
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i]))
      throw new Error(
        `setWeights: '${name}' has shape [${t.shape}], the model expects [${v.shape}]`,
      );
    tf.tidy(() => v.assign(tf.tensor(t.data, v.shape, 'float32')));
  }
}

export function disposeVariables(vars: Map<string, tf.Variable>): void {
  for (const v of vars.values()) v.dispose();
}
