/**
 * Fusion on the TF.js backend: each parameter's K member values are stacked into
 * one [K, size] tensor, so a fused model is one small matrix product per
 * parameter, written straight into the model's variables. On wasm (XNNPACK) this
 * is several times faster than summing on the host and skips the host → backend
 * copy; it is what makes evaluating many fusion candidates cheap. It needs all
 * members in memory, so the engine uses it only within the memory budget.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../train/named-tensors';
import { checkAffineWeights, checkFusionWeights } from './average';

export class StackedCheckpoints {
  private readonly stacks = new Map<string, tf.Tensor2D>();

  /** @param members - the K members' weights, all with the same names and shapes */
  constructor(members: readonly NamedTensors[]) {
    const k = members.length;
    if (k === 0) throw new Error('no checkpoints to fuse');
    for (const [name, first] of members[0]!) {
      const size = first.data.length;
      const stacked = new Float32Array(k * size);
      members.forEach((m, i) => {
        const t = m.get(name);
        if (!t || t.data.length !== size)
          throw new Error(
            `checkpoint ${i}: tensor '${name}' is missing or has another shape than in checkpoint 0`,
          );
        stacked.set(t.data, i * size);
      });
      this.stacks.set(name, tf.tensor2d(stacked, [k, size]));
    }
  }

  get size(): number {
    return this.stacks.values().next().value!.shape[0];
  }

  /** Writes Σ_k w_k θ_k into `variables` (same names; every stacked name must exist there). */
  mixInto(variables: ReadonlyMap<string, tf.Variable>, weights: readonly number[]): void {
    checkFusionWeights(weights, this.size);
    this.writeCombination(variables, weights);
  }

  /**
   * Like `mixInto` for an affine combination (weights sum to 1, may be negative):
   * points of the plane through three checkpoints, for loss-landscape plots.
   */
  affineMixInto(variables: ReadonlyMap<string, tf.Variable>, weights: readonly number[]): void {
    checkAffineWeights(weights, this.size);
    this.writeCombination(variables, weights);
  }

  private writeCombination(
    variables: ReadonlyMap<string, tf.Variable>,
    weights: readonly number[],
  ): void {
    tf.tidy(() => {
      const w = tf.tensor2d(weights as number[], [1, this.size]);
      for (const [name, stack] of this.stacks) {
        const v = variables.get(name);
        if (!v) throw new Error(`the model has no variable '${name}'`);
        const mixed = tf.matMul(w, stack).reshape(v.shape);
        // On wasm a reshape keeps the storage's original shape ([1, 1, size] from the
        // matMul), and fused matMul refuses a bias stored with rank ≠ 1: give rank-1
        // parameters storage of their own shape (a cheap elementwise copy).
        v.assign(v.rank === 1 ? tf.add(mixed, 0) : mixed);
      }
    });
  }

  dispose(): void {
    for (const t of this.stacks.values()) t.dispose();
    this.stacks.clear();
  }
}
