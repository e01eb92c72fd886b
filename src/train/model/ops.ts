/**
 * The encoder's building blocks with hand-written gradients. On wasm and cpu
 * they run the single-pass JavaScript kernels of `../kernels`; elsewhere (e.g.
 * tfjs-node) they fall back to compositions of TF.js ops with the same maths.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ATTENTION,
  ATTENTION_GRAD,
  COLUMN_SUM,
  DROPOUT,
  GELU,
  LAYER_NORM,
  LAYER_NORM_GRAD,
  registerTrainingKernels,
  TRANSPOSE_2D,
} from '../kernels';

registerTrainingKernels();

/** The `save` argument tf.customGrad passes to its function. */
type SaveFunc = (tensors: tf.Tensor[]) => void;

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function run(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** LayerNorm over the last axis of x [N, H] with γ, β [H]. */
export function layerNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): tf.Tensor2D {
  if (!hasKernel(LAYER_NORM)) {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).mul(variance.add(eps).rsqrt()).mul(gamma).add(beta) as tf.Tensor2D;
  }
  const f = tf.customGrad((xi, g, b, save) => {
    const [y, mean, rstd] = run(
      LAYER_NORM,
      { x: xi as tf.Tensor, gamma: g as tf.Tensor, beta: b as tf.Tensor },
      { eps },
    ) as [tf.Tensor, tf.Tensor, tf.Tensor];
    (save as SaveFunc)([xi as tf.Tensor, g as tf.Tensor, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [sx, sg, sm, sr] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return run(LAYER_NORM_GRAD, { dy: dy as tf.Tensor, x: sx, gamma: sg, mean: sm, rstd: sr });
      },
    };
  });
  return f(x, gamma, beta) as tf.Tensor2D;
}

/** Exact GELU, x·Φ(x) (HF "gelu"). */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (!hasKernel(GELU)) return x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5) as T;
  const f = tf.customGrad((xi, save) => {
    const [y, dydx] = run(GELU, { x: xi as tf.Tensor }) as [tf.Tensor, tf.Tensor];
    (save as SaveFunc)([dydx]);
    return {
      value: y,
      gradFunc: (dy, saved) => (dy as tf.Tensor).mul((saved as tf.Tensor[])[0] as tf.Tensor),
    };
  });
  return f(x) as T;
}

/** Inverted dropout whose mask is a pure function of `seed` (an int32). */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (rate <= 0) return x;
  if (!hasKernel(DROPOUT)) return tf.dropout(x, rate, undefined, seed) as T;
  const attrs = { rate, seed };
  const f = tf.customGrad((xi) => ({
    value: run(DROPOUT, { x: xi as tf.Tensor }, attrs)[0] as tf.Tensor,
    // The mask depends only on the seed, so the gradient is the same dropout of dy.
    gradFunc: (dy) => run(DROPOUT, { x: dy as tf.Tensor }, attrs)[0] as tf.Tensor,
  }));
  return f(x) as T;
}

/**
 * Multi-head self-attention dropout(softmax(q kᵀ/√d + bias)) v for q, k, v [B·T, H]
 * (token-major, heads side by side) and an additive mask bias [B, T]; returns the
 * context [B·T, H]. Attention dropout takes `seed` (unused when rate = 0).
 */
export function attention(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  bias: tf.Tensor2D,
  heads: number,
  rate: number,
  seed: number,
): tf.Tensor2D {
  const [b, t] = bias.shape;
  const h = q.shape[1];
  if (!hasKernel(ATTENTION)) {
    const d = h / heads;
    const split = (m: tf.Tensor2D) => m.reshape([b, t, heads, d]).transpose([0, 2, 1, 3]);
    const scores = tf
      .matMul(split(q.mul(1 / Math.sqrt(d))), split(k), false, true)
      .add(bias.reshape([b, 1, 1, t]));
    const probs = tf.softmax(scores);
    const context = tf.matMul(rate > 0 ? dropout(probs, rate, seed) : probs, split(v));
    return context.transpose([0, 2, 1, 3]).reshape([b * t, h]);
  }
  const attrs = { heads, rate, seed };
  // The mask is not trained: it stays out of the differentiated inputs.
  const f = tf.customGrad((qi, ki, vi, save) => {
    const inputs = { q: qi as tf.Tensor, k: ki as tf.Tensor, v: vi as tf.Tensor, bias };
    const [context, probs] = run(ATTENTION, inputs, attrs) as [tf.Tensor, tf.Tensor];
    // The mask is saved too: the caller's tidy may dispose it before the backward.
    (save as SaveFunc)([qi as tf.Tensor, ki as tf.Tensor, vi as tf.Tensor, probs, bias]);
    return {
      value: context,
      gradFunc: (dy, saved) => {
        const [sq, sk, sv, sp, sb] = saved as tf.Tensor[] as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        const grads = { dcontext: dy as tf.Tensor, q: sq, k: sk, v: sv, probs: sp, bias: sb };
        return run(ATTENTION_GRAD, grads, attrs);
      },
    };
  });
  return f(q, k, v) as tf.Tensor2D;
}

/** A LoRA adapter on one linear layer: ΔW = scale·b·a, a [r, in], b [out, r]. */
export interface LoraAdapter {
  a: tf.Variable;
  b: tf.Variable;
  scale: number;
}

/**
 * Matrix transpose [R, C] → [C, R] (the single-pass JS kernel where available);
 * differentiable: the gradient of a transpose is the transpose of dy.
 */
export function transpose2D(x: tf.Tensor2D): tf.Tensor2D {
  if (!hasKernel(TRANSPOSE_2D)) return x.transpose();
  const f = tf.customGrad((xi) => ({
    value: run(TRANSPOSE_2D, { x: xi as tf.Tensor })[0] as tf.Tensor,
    gradFunc: (dy) => run(TRANSPOSE_2D, { x: dy as tf.Tensor })[0] as tf.Tensor,
  }));
  return f(x) as tf.Tensor2D;
}

/**
 * The weight gradient dW = dyᵀ·x [out, in] of a linear layer (dy [N, out], x [N, in]).
 * XNNPACK repacks its right operand on every call, so the product is taken in the
 * orientation whose right operand is the narrower matrix: dyᵀ·x when out ≥ in,
 * else (xᵀ·dy)ᵀ.
 */
function weightGradient(dy: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  if (dy.shape[1] >= x.shape[1]) return tf.matMul(transpose2D(dy), x);
  return transpose2D(tf.matMul(transpose2D(x), dy));
}

/**
 * x Wᵀ + bias for x [N, in], W [out, in], bias [out]. On wasm only matMuls
 * without transpose flags reach XNNPACK (the others take a ~15× slower loop),
 * so the forward multiplies by an explicit Wᵀ and the gradient is written by
 * hand: dx = dy·W, dW = dyᵀ·x, dbias = Σ_rows dy.
 */
function affine(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  if (!hasKernel(TRANSPOSE_2D))
    return tf.fused.matMul({ a: x, b: weight, transposeB: true, bias }) as tf.Tensor2D;
  const f = tf.customGrad((xi, w, b, save) => {
    (save as SaveFunc)([xi as tf.Tensor, w as tf.Tensor]);
    const wt = transpose2D(w as tf.Tensor2D);
    const value = tf.fused.matMul({ a: xi as tf.Tensor2D, b: wt, bias: b as tf.Tensor1D });
    wt.dispose();
    return {
      value,
      gradFunc: (dy, saved) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [tf.matMul(g, sw), weightGradient(g, sx), run(COLUMN_SUM, { x: g })[0] as tf.Tensor];
      },
    };
  });
  return f(x, weight, bias) as tf.Tensor2D;
}

/**
 * y = x Wᵀ + bias (+ scale·(x aᵀ) bᵀ with a LoRA adapter), for x [N, in] and a
 * HF linear weight W [out, in].
 */
export function linear(
  x: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
  lora?: LoraAdapter,
): tf.Tensor2D {
  const y = affine(x, weight, bias);
  if (lora === undefined) return y;
  // tf.transpose, not the JS transpose kernel: the adapters are trained, and that
  // kernel has no gradient. They are only r × in, so its speed does not matter here.
  const down = tf.matMul(x, lora.a.transpose());
  return y.add(tf.matMul(down, lora.b.transpose()).mul(lora.scale)) as tf.Tensor2D;
}
