/**
 * Mean pooling (`classifier_pooling: mean` in config.json): the mean covers exactly the
 * non-padding tokens, and the choice survives saving and reloading a model folder, so a
 * fine-tuned checkpoint, a fused export and evaluation all pool as training did. (The logits
 * and gradients against plain torch are in model.test.ts, cases `*-mean-pooling`.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import {
  type Batch,
  EncoderClassifier,
  encoderConfigFromHF,
  loadPretrainedEncoder,
  savePretrainedEncoder,
} from '../../../src/train/model';
import { meanTokens } from '../../../src/train/model/encoder';
import type { NamedTensors } from '../../../src/train/named-tensors';
import { loadTokenizer } from '../../../src/train/tokenizer';

interface FixtureTensor {
  shape: number[];
  data: number[];
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../fixtures/model/encoder-reference.json'), 'utf8'),
) as {
  cases: {
    name: string;
    config: Record<string, unknown>;
    numLabels: number;
    weights: Record<string, FixtureTensor>;
    inputs: { inputIds: number[][]; tokenTypeIds: number[][]; attentionMask: number[][] };
  }[];
};
const meanCase = fixture.cases.find((c) => c.name === 'bert-mean-pooling')!;

test('meanTokens averages the non-padding rows only (hand-computed)', async () => {
  await initBackend('wasm');
  // Three sequences of 3 tokens, hidden size 2; padding rows hold 100s that must not count.
  const hidden = tf.tensor2d([
    [1, 2],
    [3, 4],
    [100, 100],
    [5, 6],
    [7, 8],
    [9, 10],
    [100, 100],
    [100, 100],
    [100, 100],
  ]);
  const mask = tf.tensor2d(
    [
      [1, 1, 0],
      [1, 1, 1],
      [0, 0, 0],
    ],
    undefined,
    'int32',
  );
  const mean = meanTokens(hidden, mask);
  // (1+3)/2, (2+4)/2; (5+7+9)/3, (6+8+10)/3; an all-padding row gives zeros, not NaN.
  assert.deepEqual(Array.from(mean.dataSync()), [2, 3, 7, 8, 0, 0]);
  tf.dispose([hidden, mask, mean]);
});

function batchOf(c: typeof meanCase): Batch {
  return {
    inputIds: tf.tensor2d(c.inputs.inputIds, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(c.inputs.tokenTypeIds, undefined, 'int32'),
    attentionMask: tf.tensor2d(c.inputs.attentionMask, undefined, 'int32'),
  };
}

function logitsOf(model: EncoderClassifier, batch: Batch): number[] {
  return tf.tidy(() => Array.from(model.forward(batch, { training: false }).dataSync()));
}

test('the pooling choice is saved in config.json and a reloaded model pools the same way', async () => {
  await initBackend('wasm');
  const config = encoderConfigFromHF(meanCase.config);
  assert.equal(config.classifierPooling, 'mean');
  const weights: NamedTensors = new Map(
    Object.entries(meanCase.weights).map(([n, t]) => [
      n,
      { shape: t.shape, data: Float32Array.from(t.data) },
    ]),
  );
  const model = new EncoderClassifier(config, { numLabels: meanCase.numLabels }, 7);
  model.setWeights(weights);
  const batch = batchOf(meanCase);
  const original = logitsOf(model, batch);

  // The same weights read through [CLS] give other logits, so the comparison below can fail.
  const cls = new EncoderClassifier(
    { ...config, classifierPooling: 'cls' },
    { numLabels: meanCase.numLabels },
    7,
  );
  cls.setWeights(weights);
  const viaCls = logitsOf(cls, batch);
  assert.ok(Math.max(...viaCls.map((x, i) => Math.abs(x - original[i]!))) > 1e-3);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-pooling-'));
  const words = Array.from({ length: 35 }, (_, i) => `w${i}`);
  fs.writeFileSync(
    path.join(dir, 'vocab.txt'),
    `${['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words].join('\n')}\n`,
  );
  const out = path.join(dir, 'saved');
  savePretrainedEncoder(out, model, loadTokenizer(dir));
  const json = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
  assert.equal(json.classifier_pooling, 'mean');
  const reloaded = loadPretrainedEncoder(out, { numLabels: meanCase.numLabels });
  assert.equal(reloaded.config.classifierPooling, 'mean');
  assert.deepEqual(reloaded.missing, []);
  const again = logitsOf(reloaded.model, batch);
  assert.ok(Math.max(...again.map((x, i) => Math.abs(x - original[i]!))) < 1e-6);

  tf.dispose(Object.values(batch));
  for (const m of [model, cls, reloaded.model]) m.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('config.json: classifier_pooling defaults to cls; another value is named', () => {
  const { classifier_pooling: _, ...rest } = meanCase.config;
  assert.equal(encoderConfigFromHF(rest).classifierPooling, 'cls');
  assert.throws(
    () => encoderConfigFromHF({ ...meanCase.config, classifier_pooling: 'max' }, 'm/config.json'),
    /m\/config.json: field 'classifier_pooling' is "max"; expected one of cls, mean/,
  );
});
