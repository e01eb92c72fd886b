/**
 * Multi-head self-attention as two kernels (forward, backward) running the WebAssembly
 * SIMD code of attention.c. On the wasm backend the alternative is TF.js's batched
 * matMul, a scalar loop, plus head transposes, softmax and dropout as separate ops.
 */
import type { JsInput, JsKernel } from '../js-kernel';
import { callSimd, simd } from './module';

export const ATTENTION = 'BomfAttention';
export const ATTENTION_GRAD = 'BomfAttentionGrad';

const f32 = (x: JsInput | undefined) => (x as JsInput).data as Float32Array;

/** Shape and hyperparameters of one attention call. */
interface AttentionDims {
  batch: number;
  seqLen: number;
  heads: number;
  headSize: number;
  /** Multiplies q·kᵀ (1/√headSize). */
  scale: number;
  /** Attention-probability dropout; 0 = none. */
  rate: number;
  seed: number;
}

/** Dimensions from q [B·T, H], the mask bias [B, T] and the attributes. */
function dimsOf(q: JsInput, bias: JsInput, attrs: Record<string, unknown>): AttentionDims {
  const [batch, seqLen] = bias.shape as [number, number];
  const heads = attrs.heads as number;
  const headSize = (q.shape[1] as number) / heads;
  return {
    batch,
    seqLen,
    heads,
    headSize,
    scale: 1 / Math.sqrt(headSize),
    rate: attrs.rate as number,
    seed: (attrs.seed as number) | 0,
  };
}

/** Inputs q, k, v [B·T, H], bias [B, T]; outputs context [B·T, H] and probs [B, heads, T, T]. */
export const attentionKernel: JsKernel = {
  name: ATTENTION,
  inputNames: ['q', 'k', 'v', 'bias'],
  plan([q, , , bias], attrs) {
    const [b, t] = (bias as JsInput).shape as [number, number];
    return [
      { shape: (q as JsInput).shape, dtype: 'float32' },
      { shape: [b, attrs.heads as number, t, t], dtype: 'float32' },
    ];
  },
  compute([q, k, v, bias], [context, probs], attrs) {
    const { batch, seqLen, heads, headSize, scale, rate, seed } = dimsOf(
      q as JsInput,
      bias as JsInput,
      attrs,
    );
    const scratch = simd().attention_scratch_floats(seqLen, headSize);
    const ins = [f32(q), f32(k), f32(v), f32(bias)];
    callSimd(ins, [context, probs] as Float32Array[], scratch, (w, at) => {
      const [oq, ok, ov, ob, oc, op, os] = at as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      // biome-ignore format: one argument list of the C call
      w.attention_forward(oq, ok, ov, ob, oc, op, os, batch, seqLen, heads, headSize, scale, rate, seed);
    });
  },
};

/** Inputs dcontext, q, k, v, probs, bias; outputs dq, dk, dv [B·T, H]. */
export const attentionGradKernel: JsKernel = {
  name: ATTENTION_GRAD,
  inputNames: ['dcontext', 'q', 'k', 'v', 'probs', 'bias'],
  plan([, q]) {
    const shape = (q as JsInput).shape;
    return [0, 1, 2].map(() => ({ shape, dtype: 'float32' as const }));
  },
  compute([dcontext, q, k, v, probs, bias], [dq, dk, dv], attrs) {
    const { batch, seqLen, heads, headSize, scale, rate, seed } = dimsOf(
      q as JsInput,
      bias as JsInput,
      attrs,
    );
    const scratch = simd().attention_scratch_floats(seqLen, headSize);
    const ins = [f32(dcontext), f32(q), f32(k), f32(v), f32(probs)];
    callSimd(ins, [dq, dk, dv] as Float32Array[], scratch, (w, at) => {
      const [odc, oq, ok, ov, op, odq, odk, odv, os] = at as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      // biome-ignore format: one argument list of the C call
      w.attention_backward(odc, oq, ok, ov, op, odq, odk, odv, os, batch, seqLen, heads, headSize, scale, rate, seed);
    });
  },
};
