/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization") on TF.js
 * variables. TF.js's own Adam folds no decay into the update, so the step is written
 * here with plain ops; it follows PyTorch's `torch.optim.AdamW` order of operations:
 *
 *   θ ← θ·(1 − lr·λ)                       (decoupled decay, skipped for bias/LayerNorm)
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from '../named-tensors';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay λ (0 disables it). */
  weightDecay: number;
}

/** BOMF's recipe (from its code): β = (0.9, 0.98), ε = 1e-6. */
export const DEFAULT_ADAMW: Omit<AdamWOptions, 'weightDecay'> = {
  beta1: 0.9,
  beta2: 0.98,
  epsilon: 1e-6,
};

/**
 * Whether a parameter gets weight decay: not biases and not LayerNorm gains/shifts
 * (the usual BERT recipe; decaying them pulls normalisation towards zero).
 */
export function decaysWeight(name: string): boolean {
  return !(name.endsWith('.bias') || /layer_?norm/i.test(name));
}

/** Optimizer state outside TF.js: first and second moments by parameter name, plus t. */
export interface AdamWState {
  step: number;
  m: NamedTensors;
  v: NamedTensors;
}

/** A non-trainable zero variable shaped like `p` (the initial tensor is released). */
function zerosVariable(p: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(p);
  const v = tf.variable(zeros, false);
  zeros.dispose();
  return v;
}

export class AdamW {
  /** Number of updates applied so far (t of the bias correction). */
  stepCount = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  /** @param params - the trainable parameters by name (variables are updated in place). */
  constructor(
    readonly params: ReadonlyMap<string, tf.Variable>,
    readonly options: AdamWOptions,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, zerosVariable(p));
      this.v.set(name, zerosVariable(p));
    }
  }

  /**
   * Applies one update. Every parameter must have a gradient of its own shape;
   * the gradients are not disposed (the caller owns them).
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, learningRate: number): void {
    this.stepCount += 1;
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const t = this.stepCount;
    const stepSize = learningRate / (1 - beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** t);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (g === undefined) throw new Error(`AdamW: no gradient for parameter '${name}'`);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        const decayed =
          decaysWeight(name) && weightDecay > 0 ? p.mul(1 - learningRate * weightDecay) : p;
        const denom = v.sqrt().div(sqrtBias2).add(epsilon);
        p.assign(decayed.sub(m.div(denom).mul(stepSize)));
      }
    });
  }

  /** A host copy of the moments (for the resumable training state). */
  getState(): AdamWState {
    const copy = (vars: Map<string, tf.Variable>): NamedTensors =>
      new Map(
        [...vars].map(([name, x]) => [
          name,
          { shape: x.shape.slice(), data: x.dataSync() as Float32Array },
        ]),
      );
    return { step: this.stepCount, m: copy(this.m), v: copy(this.v) };
  }

  /** Restores moments saved by `getState`; every parameter must be present with its shape. */
  setState(state: AdamWState): void {
    for (const [which, vars, saved] of [
      ['m', this.m, state.m],
      ['v', this.v, state.v],
    ] as const) {
      for (const [name, variable] of vars) {
        const host = saved.get(name);
        if (host === undefined)
          throw new Error(`AdamW state: moment ${which} of '${name}' is missing`);
        if (host.shape.join(',') !== variable.shape.join(','))
          throw new Error(
            `AdamW state: moment ${which} of '${name}' has shape [${host.shape}], expected [${variable.shape}]`,
          );
        tf.tidy(() => variable.assign(tf.tensor(host.data, host.shape, 'float32')));
      }
    }
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}
