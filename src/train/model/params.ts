/**
 * Hugging Face names, shapes and initialisation of every weight of the encoder
 * and its heads. Linear weights are [out, in] as in PyTorch.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncoderConfig } from './config';

export type InitKind = 'normal' | 'zeros' | 'ones';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: InitKind;
  /** A row zeroed at init (HF's `padding_idx` of embeddings). */
  zeroRow?: number;
}

/** Prefix of the encoder weights in task models: `bert.` or `roberta.`. */
export function encoderPrefix(c: EncoderConfig): string {
  return `${c.modelType}.`;
}

function linearSpecs(name: string, out: number, inp: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [out, inp], init: 'normal' },
    { name: `${name}.bias`, shape: [out], init: 'zeros' },
  ];
}

function layerNormSpecs(name: string, h: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [h], init: 'ones' },
    { name: `${name}.bias`, shape: [h], init: 'zeros' },
  ];
}

/** Embeddings and transformer layers (no pooler), with the model-type prefix. */
export function encoderParamSpecs(c: EncoderConfig): ParamSpec[] {
  const p = encoderPrefix(c);
  const h = c.hiddenSize;
  const e = `${p}embeddings`;
  const specs: ParamSpec[] = [
    {
      name: `${e}.word_embeddings.weight`,
      shape: [c.vocabSize, h],
      init: 'normal',
      zeroRow: c.padTokenId,
    },
    {
      name: `${e}.position_embeddings.weight`,
      shape: [c.maxPositions, h],
      init: 'normal',
      zeroRow: c.modelType === 'roberta' ? c.padTokenId : undefined,
    },
    { name: `${e}.token_type_embeddings.weight`, shape: [c.typeVocabSize, h], init: 'normal' },
    ...layerNormSpecs(`${e}.LayerNorm`, h),
  ];
  for (let l = 0; l < c.numLayers; l++) {
    const L = `${p}encoder.layer.${l}`;
    specs.push(
      ...linearSpecs(`${L}.attention.self.query`, h, h),
      ...linearSpecs(`${L}.attention.self.key`, h, h),
      ...linearSpecs(`${L}.attention.self.value`, h, h),
      ...linearSpecs(`${L}.attention.output.dense`, h, h),
      ...layerNormSpecs(`${L}.attention.output.LayerNorm`, h),
      ...linearSpecs(`${L}.intermediate.dense`, c.intermediateSize, h),
      ...linearSpecs(`${L}.output.dense`, h, c.intermediateSize),
      ...layerNormSpecs(`${L}.output.LayerNorm`, h),
    );
  }
  return specs;
}

/** Sequence-classification head: BERT pooler + classifier, or RoBERTa's dense + out_proj. */
export function classifierParamSpecs(c: EncoderConfig, numLabels: number): ParamSpec[] {
  const h = c.hiddenSize;
  if (c.modelType === 'roberta')
    return [
      ...linearSpecs('classifier.dense', h, h),
      ...linearSpecs('classifier.out_proj', numLabels, h),
    ];
  return [...poolerParamSpecs(c), ...linearSpecs('classifier', numLabels, h)];
}

/** BERT's pooler: tanh(dense([CLS] hidden state)). */
export function poolerParamSpecs(c: EncoderConfig): ParamSpec[] {
  return linearSpecs(`${encoderPrefix(c)}pooler.dense`, c.hiddenSize, c.hiddenSize);
}

/** Names of the masked-LM head (decoder weight tied to the word embeddings). */
export function mlmHeadNames(c: EncoderConfig): { dense: string; layerNorm: string; bias: string } {
  return c.modelType === 'roberta'
    ? { dense: 'lm_head.dense', layerNorm: 'lm_head.layer_norm', bias: 'lm_head.bias' }
    : {
        dense: 'cls.predictions.transform.dense',
        layerNorm: 'cls.predictions.transform.LayerNorm',
        bias: 'cls.predictions.bias',
      };
}

export function mlmParamSpecs(c: EncoderConfig): ParamSpec[] {
  const n = mlmHeadNames(c);
  const h = c.hiddenSize;
  return [
    ...linearSpecs(n.dense, h, h),
    ...layerNormSpecs(n.layerNorm, h),
    { name: n.bias, shape: [c.vocabSize], init: 'zeros' },
  ];
}

/**
 * Creates one variable per spec, initialised like HF (normal std 0.02, LayerNorm
 * ones/zeros), deterministically from `seed` (each tensor gets seed + its index).
 */
export function createVariables(specs: ParamSpec[], seed: number): Map<string, tf.Variable> {
  const vars = new Map<string, tf.Variable>();
  specs.forEach((s, i) => {
    const value = tf.tidy(() => {
      let t: tf.Tensor =
        s.init === 'normal'
          ? tf.randomNormal(s.shape, 0, 0.02, 'float32', seed + i)
          : s.init === 'ones'
            ? tf.ones(s.shape)
            : tf.zeros(s.shape);
      if (s.zeroRow !== undefined && s.zeroRow >= 0 && s.zeroRow < (s.shape[0] as number)) {
        const keep = tf.oneHot([s.zeroRow], s.shape[0] as number).reshape([-1, 1]);
        t = t.mul(tf.scalar(1).sub(keep));
      }
      return t;
    });
    // Unnamed: TF.js variable names are global and two models would clash.
    vars.set(s.name, tf.variable(value, true));
    value.dispose();
  });
  return vars;
}
