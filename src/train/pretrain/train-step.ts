/**
 * One pre-training optimizer step: masked-LM on a batch of packed sequences plus,
 * when its weight is positive, the contrastive sentence objective on a batch of
 * single lines; one AdamW step on the weighted sum. Every random choice derives
 * from (seed, purpose, step), so a resumed run repeats the uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import type { AdamW } from '../loop/adamw';
import { clipByGlobalNorm } from '../loop/clip';
import { mixSeed, seededRandom } from '../loop/random';
import type { EncoderForMaskedLM } from '../model/mlm';
import type { Tokenizer } from '../tokenizer';
import { contrastiveLoss, drawSentences, type SentencePool } from './contrastive';
import { maskTokens } from './masking';
import type { PackedSequences } from './packing';

/** What shapes a step (a subset of PretrainOptions). */
export interface StepOptions {
  seed: number;
  maskRate: number;
  /** 0 = no masked-LM term (the contrastive objective alone; the MLM head then stays as it is). */
  maskedLMWeight: number;
  contrastiveWeight: number;
  contrastiveBatchSize: number;
  contrastiveTemperature: number;
}

/** The step's total loss and its parts (unweighted; NaN for a part that is off). */
export interface StepLosses {
  loss: number;
  maskedLM: number;
  contrastive: number;
}

/** Ids that are never masked and carry no co-occurrence statistics. */
export function specialIds(tok: Tokenizer): Set<number> {
  return new Set([tok.padId, tok.clsId, tok.sepId, tok.maskId, tok.unkId]);
}

function gatherRows(src: Int32Array, rows: number[], t: number): Int32Array {
  const out = new Int32Array(rows.length * t);
  rows.forEach((r, i) => {
    out.set(src.subarray(r * t, (r + 1) * t), i * t);
  });
  return out;
}

export interface StepInputs {
  model: EncoderForMaskedLM;
  /** The variables the optimizer updates (the model's, less any frozen ones). */
  trainable: ReadonlyMap<string, tf.Variable>;
  optimizer: AdamW;
  tok: Tokenizer;
  data: PackedSequences;
  /** Needed when contrastiveWeight > 0. */
  sentences?: SentencePool;
  /** Packed-sequence indices of this step's masked-LM batch. */
  rows: number[];
  step: number;
  learningRate: number;
}

/** Runs the step (updates the model) and returns its losses. */
export function trainStep(o: StepOptions, s: StepInputs): StepLosses {
  const { model, trainable, tok, data, rows, step } = s;
  const t = data.length;
  const specials = specialIds(tok);
  const masked = maskTokens(gatherRows(data.inputIds, rows, t), {
    rate: o.maskRate,
    maskId: tok.maskId,
    vocabSize: tok.vocabSize,
    specialIds: specials,
    firstRegularId: Math.max(...specials) + 1,
    random: seededRandom(mixSeed(o.seed, 3, step)),
  });
  const lines =
    o.contrastiveWeight > 0
      ? drawSentences(
          requireSentences(s.sentences),
          o.contrastiveBatchSize,
          tok.padId,
          seededRandom(mixSeed(o.seed, 6, step)),
        )
      : undefined;
  const b = rows.length;
  return tf.tidy(() => {
    // The gradient function disposes its intermediates: the parts are kept, read, then freed.
    let maskedLM: tf.Scalar | undefined;
    let contrastive: tf.Scalar | undefined;
    const names = [...trainable.keys()];
    const { value, grads } = tf.variableGrads(() => {
      let total = tf.scalar(0);
      if (o.maskedLMWeight > 0) {
        const batch = {
          inputIds: tf.tensor2d(masked.inputIds, [b, t], 'int32'),
          tokenTypeIds: tf.tensor2d(gatherRows(data.tokenTypeIds, rows, t), [b, t], 'int32'),
          attentionMask: tf.tensor2d(gatherRows(data.attentionMask, rows, t), [b, t], 'int32'),
        };
        const positions = tf.tensor1d(masked.positions, 'int32');
        const labels = tf.oneHot(tf.tensor1d(masked.labels, 'int32'), tok.vocabSize);
        const logits = model.forward(batch, positions, {
          training: true,
          seed: mixSeed(o.seed, 4, step),
        });
        maskedLM = tf.keep(tf.logSoftmax(logits).mul(labels).sum(1).mean().neg() as tf.Scalar);
        total = total.add(maskedLM.mul(o.maskedLMWeight));
      }
      if (lines === undefined) return total as tf.Scalar;
      const shape: [number, number] = [lines.size, lines.length];
      const sentences = {
        inputIds: tf.tensor2d(lines.inputIds, shape, 'int32'),
        tokenTypeIds: tf.zeros(shape, 'int32') as tf.Tensor2D,
        attentionMask: tf.tensor2d(lines.attentionMask, shape, 'int32'),
      };
      // Same lines, two dropout masks: the views whose agreement the loss rewards.
      const first = model.pooled(sentences, { training: true, seed: mixSeed(o.seed, 7, step) });
      const second = model.pooled(sentences, { training: true, seed: mixSeed(o.seed, 8, step) });
      contrastive = tf.keep(contrastiveLoss(first, second, o.contrastiveTemperature));
      return total.add(contrastive.mul(o.contrastiveWeight)) as tf.Scalar;
    }, [...trainable.values()]);
    // Weights no objective reaches (the MLM head when its weight is 0) get a zero gradient.
    const byName = new Map(
      names.map((n) => {
        const v = trainable.get(n)!;
        return [n, (grads[v.name] as tf.Tensor | undefined) ?? tf.zerosLike(v)];
      }),
    );
    const clipped = clipByGlobalNorm(byName, 1.0);
    s.optimizer.step(clipped.grads, s.learningRate);
    const losses = {
      loss: value.dataSync()[0] as number,
      maskedLM: (maskedLM as tf.Scalar | undefined)?.dataSync()[0] ?? Number.NaN,
      contrastive: (contrastive as tf.Scalar | undefined)?.dataSync()[0] ?? Number.NaN,
    };
    tf.dispose([maskedLM, contrastive].filter((x) => x !== undefined));
    return losses;
  });
}

function requireSentences(pool: SentencePool | undefined): SentencePool {
  if (pool === undefined) throw new Error('the contrastive objective needs a sentence pool');
  return pool;
}
