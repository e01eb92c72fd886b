/**
 * The encoder against an independent reference: test/fixtures/model/generate.py computes
 * BERT / RoBERTa logits and gradients with plain torch ops (float64) on random weights.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import {
  type Batch,
  EncoderClassifier,
  encoderConfigFromHF,
  encoderConfigToHF,
  type LoraAdapter,
} from '../../../src/train/model';
import type { HostTensor, NamedTensors } from '../../../src/train/named-tensors';

interface FixtureTensor {
  shape: number[];
  data: number[];
}
interface FixtureCase {
  name: string;
  config: Record<string, unknown>;
  numLabels: number;
  weights: Record<string, FixtureTensor>;
  lora: Record<string, { a: FixtureTensor; b: FixtureTensor; scale: number }>;
  inputs: { inputIds: number[][]; tokenTypeIds: number[][]; attentionMask: number[][] };
  expectedLogits: FixtureTensor;
  projection: FixtureTensor;
  expectedGrads: Record<string, FixtureTensor>;
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/model/encoder-reference.json'), 'utf8'),
) as { cases: FixtureCase[] };

function host(t: FixtureTensor): HostTensor {
  return { shape: t.shape, data: Float32Array.from(t.data) };
}

function batchOf(c: FixtureCase): Batch {
  return {
    inputIds: tf.tensor2d(c.inputs.inputIds, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(c.inputs.tokenTypeIds, undefined, 'int32'),
    attentionMask: tf.tensor2d(c.inputs.attentionMask, undefined, 'int32'),
  };
}

function modelOf(c: FixtureCase): EncoderClassifier {
  const model = new EncoderClassifier(encoderConfigFromHF(c.config), { numLabels: c.numLabels }, 7);
  const w: NamedTensors = new Map(Object.entries(c.weights).map(([n, t]) => [n, host(t)]));
  model.setWeights(w);
  return model;
}

function loraOf(c: FixtureCase): Map<string, LoraAdapter> | undefined {
  const entries = Object.entries(c.lora);
  if (entries.length === 0) return undefined;
  return new Map(
    entries.map(([n, a]) => [
      n,
      {
        a: tf.variable(tf.tensor(a.a.data, a.a.shape)),
        b: tf.variable(tf.tensor(a.b.data, a.b.shape)),
        scale: a.scale,
      },
    ]),
  );
}

/** Largest |actual − expected| relative to max(1, |expected|). */
function maxError(actual: ArrayLike<number>, expected: FixtureTensor): number {
  assert.equal(actual.length, expected.data.length);
  let worst = 0;
  expected.data.forEach((e, i) => {
    worst = Math.max(worst, Math.abs((actual[i] as number) - e) / Math.max(1, Math.abs(e)));
  });
  return worst;
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const c of fixture.cases) {
    test(`${c.name} on ${backend}: logits and gradients match the torch reference to 1e-4`, async () => {
      await initBackend(backend);
      const model = modelOf(c);
      const batch = batchOf(c);
      const lora = loraOf(c);
      const logits = tf.tidy(() => model.forward(batch, { training: false, lora }));
      assert.deepEqual(logits.shape, c.expectedLogits.shape);
      assert.ok(maxError(logits.dataSync(), c.expectedLogits) < 1e-4, `${c.name}: logits differ`);

      const proj = tf.tensor(c.projection.data, c.projection.shape);
      const names = Object.keys(c.expectedGrads);
      const vars = names.map((n) => model.variables.get(n) as tf.Variable);
      const { grads } = tf.variableGrads(
        () => model.forward(batch, { training: false, lora }).mul(proj).sum() as tf.Scalar,
        vars,
      );
      names.forEach((n, i) => {
        const g = grads[(vars[i] as tf.Variable).name] as tf.Tensor;
        const err = maxError(g.dataSync(), c.expectedGrads[n] as FixtureTensor);
        assert.ok(err < 1e-4, `${c.name}: gradient of ${n} differs by ${err}`);
      });
      tf.dispose([logits, proj, ...Object.values(grads), ...Object.values(batch)]);
      for (const a of lora?.values() ?? []) tf.dispose([a.a, a.b]);
      model.dispose();
    });
  }
}

test('dropout: training mode is random but repeatable with a seed, eval mode is deterministic', async () => {
  await initBackend('wasm');
  const c = fixture.cases[0] as FixtureCase;
  const model = modelOf(c);
  const batch = batchOf(c);
  const run = (training: boolean, seed?: number) =>
    tf.tidy(() => Array.from(model.forward(batch, { training, seed }).dataSync()));
  assert.deepEqual(run(true, 5), run(true, 5));
  assert.notDeepEqual(run(true, 5), run(true, 6));
  assert.notDeepEqual(run(true, 5), run(false));
  assert.deepEqual(run(false), run(false));
  model.dispose();
});

test('config survives HF config.json round trip; bad configs are named', () => {
  const c = encoderConfigFromHF(fixture.cases[2]?.config as Record<string, unknown>);
  const json = encoderConfigToHF(c, { numLabels: 2, labelNames: ['no', 'yes'] });
  assert.deepEqual(encoderConfigFromHF(json), c);
  assert.deepEqual(json.id2label, { '0': 'no', '1': 'yes' });
  assert.throws(
    () => encoderConfigFromHF({ ...json, model_type: 'gpt2' }),
    /model_type.*gpt2.*bert/,
  );
  assert.throws(() => encoderConfigFromHF({ ...json, vocab_size: 'x' }), /'vocab_size'/);
  assert.throws(() => encoderConfigFromHF({ ...json, hidden_act: 'relu' }), /hidden_act/);
});

test('random init follows HF: std 0.02 weights, LayerNorm ones/zeros, zero padding row', () => {
  const config = encoderConfigFromHF({
    ...fixture.cases[0]?.config,
    hidden_size: 64,
    intermediate_size: 128,
    vocab_size: 500,
  });
  const model = new EncoderClassifier(config, { numLabels: 2 }, 3);
  const w = model.getWeights();
  const words = w.get('bert.embeddings.word_embeddings.weight') as HostTensor;
  const std = Math.sqrt(words.data.reduce((s, x) => s + x * x, 0) / words.data.length);
  assert.ok(Math.abs(std - 0.02) < 0.001, `std ${std}`);
  assert.ok(
    words.data.subarray(0, 64).every((x) => x === 0),
    'padding row is zero',
  );
  assert.ok(w.get('bert.encoder.layer.1.output.LayerNorm.weight')?.data.every((x) => x === 1));
  assert.ok(w.get('classifier.bias')?.data.every((x) => x === 0));
  assert.deepEqual(w.get('bert.encoder.layer.0.intermediate.dense.weight')?.shape, [128, 64]);
  const again = new EncoderClassifier(config, { numLabels: 2 }, 3);
  assert.deepEqual(again.getWeights().get('classifier.weight'), w.get('classifier.weight'));
  model.dispose();
  again.dispose();
});

test('setWeights reports wrong shapes and, when strict, missing or unexpected names', () => {
  const c = fixture.cases[0] as FixtureCase;
  const model = modelOf(c);
  const w = model.getWeights();
  const bad: NamedTensors = new Map(w);
  bad.set('classifier.bias', { shape: [5], data: new Float32Array(5) });
  assert.throws(() => model.setWeights(bad), /'classifier.bias' has shape \[5\].*\[3\]/);
  const partial: NamedTensors = new Map(w);
  partial.delete('bert.pooler.dense.bias');
  partial.set('cls.predictions.bias', { shape: [1], data: new Float32Array(1) });
  assert.throws(
    () => model.setWeights(partial),
    /missing \[bert.pooler.dense.bias\].*cls.predictions.bias/,
  );
  model.setWeights(partial, { strict: false });
  model.dispose();
});
