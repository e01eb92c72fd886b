/**
 * The forward pass of a BERT / RoBERTa encoder (HF semantics, post-LayerNorm),
 * written over [B·T, H] matrices so that every linear layer is one 2-D matMul.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncoderConfig } from './config';
import { attention, dropout, gelu, type LoraAdapter, layerNorm, linear } from './ops';
import { encoderPrefix } from './params';

/** Token ids, segment ids and padding mask, all int32 [B, T]. */
export interface Batch {
  inputIds: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
}

/** What one forward pass needs besides the batch. */
export interface ForwardContext {
  config: EncoderConfig;
  vars: Map<string, tf.Variable>;
  training: boolean;
  lora?: Map<string, LoraAdapter>;
  /** Next dropout seed; every dropout call takes one and increments it. */
  nextSeed: () => number;
}

export function param<R extends tf.Rank>(ctx: ForwardContext, name: string): tf.Tensor<R> {
  const v = ctx.vars.get(name);
  if (v === undefined) throw new Error(`model has no weight '${name}'`);
  return v as unknown as tf.Tensor<R>;
}

/** Dense layer by HF name prefix (`<name>.weight` [out,in], `<name>.bias`). */
export function dense(ctx: ForwardContext, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const w = `${name}.weight`;
  return linear(x, param(ctx, w), param(ctx, `${name}.bias`), ctx.lora?.get(w));
}

export function drop<T extends tf.Tensor>(ctx: ForwardContext, x: T, rate: number): T {
  return ctx.training && rate > 0 ? dropout(x, rate, ctx.nextSeed()) : x;
}

/** RoBERTa position ids: padding_idx + running count of non-pad tokens (pad → padding_idx). */
function robertaPositionIds(ids: Int32Array, b: number, t: number, pad: number): Int32Array {
  const pos = new Int32Array(b * t);
  for (let i = 0; i < b; i++) {
    let count = 0;
    for (let j = 0; j < t; j++) {
      const k = i * t + j;
      if (ids[k] !== pad) pos[k] = pad + ++count;
      else pos[k] = pad;
    }
  }
  return pos;
}

function embeddings(ctx: ForwardContext, batch: Batch): tf.Tensor2D {
  const c = ctx.config;
  const [b, t] = batch.inputIds.shape;
  if (t > c.maxPositions - (c.modelType === 'roberta' ? c.padTokenId + 1 : 0))
    throw new Error(`sequence length ${t} exceeds the model's ${c.maxPositions} positions`);
  const e = `${encoderPrefix(c)}embeddings`;
  const ids = batch.inputIds.reshape([-1]) as tf.Tensor1D;
  const words = tf.gather(param<tf.Rank.R2>(ctx, `${e}.word_embeddings.weight`), ids);
  const types = tf.gather(
    param<tf.Rank.R2>(ctx, `${e}.token_type_embeddings.weight`),
    batch.tokenTypeIds.reshape([-1]) as tf.Tensor1D,
  );
  const posTable = param<tf.Rank.R2>(ctx, `${e}.position_embeddings.weight`);
  let sum: tf.Tensor2D;
  if (c.modelType === 'roberta') {
    const posIds = robertaPositionIds(batch.inputIds.dataSync() as Int32Array, b, t, c.padTokenId);
    sum = words.add(tf.gather(posTable, tf.tensor1d(posIds, 'int32'))).add(types);
  } else {
    const pos = posTable.slice([0, 0], [t, c.hiddenSize]);
    sum = words
      .add(types)
      .reshape([b, t, c.hiddenSize])
      .add(pos)
      .reshape([b * t, c.hiddenSize]);
  }
  const normed = layerNorm(
    sum,
    param(ctx, `${e}.LayerNorm.weight`),
    param(ctx, `${e}.LayerNorm.bias`),
    c.layerNormEps,
  );
  return drop(ctx, normed, c.hiddenDropout);
}

/** Additive attention bias [B, T]: 0 where attended, −1e9 on padding. */
function maskBias(mask: tf.Tensor2D): tf.Tensor2D {
  return tf.scalar(1).sub(mask.toFloat()).mul(-1e9) as tf.Tensor2D;
}

function selfAttention(
  ctx: ForwardContext,
  L: string,
  x: tf.Tensor2D,
  bias: tf.Tensor2D,
): tf.Tensor2D {
  const c = ctx.config;
  const rate = ctx.training ? c.attentionDropout : 0;
  return attention(
    dense(ctx, `${L}.query`, x),
    dense(ctx, `${L}.key`, x),
    dense(ctx, `${L}.value`, x),
    bias,
    c.numHeads,
    rate,
    rate > 0 ? ctx.nextSeed() : 0,
  );
}

function encoderLayer(
  ctx: ForwardContext,
  l: number,
  x: tf.Tensor2D,
  bias: tf.Tensor2D,
): tf.Tensor2D {
  const c = ctx.config;
  const L = `${encoderPrefix(c)}encoder.layer.${l}`;
  const eps = c.layerNormEps;
  const attn = selfAttention(ctx, `${L}.attention.self`, x, bias);
  const attnOut = drop(ctx, dense(ctx, `${L}.attention.output.dense`, attn), c.hiddenDropout);
  const h1 = layerNorm(
    attnOut.add(x),
    param(ctx, `${L}.attention.output.LayerNorm.weight`),
    param(ctx, `${L}.attention.output.LayerNorm.bias`),
    eps,
  );
  const inter = gelu(dense(ctx, `${L}.intermediate.dense`, h1));
  const out = drop(ctx, dense(ctx, `${L}.output.dense`, inter), c.hiddenDropout);
  return layerNorm(
    out.add(h1),
    param(ctx, `${L}.output.LayerNorm.weight`),
    param(ctx, `${L}.output.LayerNorm.bias`),
    eps,
  );
}

/** Hidden states [B·T, H] of the last layer (row b·T + j is token j of sequence b). */
export function encode(ctx: ForwardContext, batch: Batch): tf.Tensor2D {
  const bias = maskBias(batch.attentionMask);
  let x = embeddings(ctx, batch);
  for (let l = 0; l < ctx.config.numLayers; l++) x = encoderLayer(ctx, l, x, bias);
  return x;
}

/** Rows of the first token ([CLS] / <s>) of every sequence: [B, H]. */
export function firstTokens(hidden: tf.Tensor2D, b: number, t: number): tf.Tensor2D {
  const h = hidden.shape[1];
  return hidden.reshape([b, t, h]).slice([0, 0, 0], [b, 1, h]).reshape([b, h]);
}

/**
 * Mean of each sequence's hidden states over its non-padding tokens: [B, H]. Padding rows are
 * zeroed by the mask before the sum and left out of the count (at least 1, so an all-padding
 * row gives zeros, not NaN).
 */
export function meanTokens(hidden: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  const [b, t] = mask.shape;
  const m = mask.toFloat().reshape([b, t, 1]);
  const sum = hidden.reshape([b, t, hidden.shape[1]]).mul(m).sum(1);
  return sum.div(m.sum(1).maximum(1)) as tf.Tensor2D;
}

/** What the classification head reads, by the config's `classifierPooling`: [B, H]. */
export function headInput(ctx: ForwardContext, hidden: tf.Tensor2D, batch: Batch): tf.Tensor2D {
  if (ctx.config.classifierPooling === 'mean') return meanTokens(hidden, batch.attentionMask);
  const [b, t] = batch.inputIds.shape;
  return firstTokens(hidden, b, t);
}

/** BERT's pooler over the rows the head reads [B, H]: tanh(dense(x)). */
export function pool(ctx: ForwardContext, first: tf.Tensor2D): tf.Tensor2D {
  return dense(ctx, `${encoderPrefix(ctx.config)}pooler.dense`, first).tanh() as tf.Tensor2D;
}
