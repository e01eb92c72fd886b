// Stage-1 proxies: frozen bottom layers and LoRA adapters leave the frozen weights bit-identical.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { fineTune } from '../../../src/train/loop/fine-tune';
import { createLoraAdapters, mergedWeights } from '../../../src/train/loop/lora';
import { isFrozenByLayer, trainableModelVariables } from '../../../src/train/loop/proxy';
import { sameBits, sentimentExamples, snapshot, tinyModel, tinyTokenizer } from './loop-helpers';

before(async () => {
  await initBackend('wasm');
});

const tokenizer = tinyTokenizer();
const dataset = {
  task: 'classification' as const,
  train: sentimentExamples(48, 1),
  validation: sentimentExamples(16, 2),
};
const hyperparameters = {
  learningRate: 5e-3,
  batchSize: 16,
  maxSteps: 6,
  maxLength: 16,
  weightDecay: 0.1,
};

test('freeze n selects embeddings and layers below n', () => {
  assert.equal(isFrozenByLayer('bert.embeddings.word_embeddings.weight', 1), true);
  assert.equal(isFrozenByLayer('bert.encoder.layer.0.output.dense.weight', 1), true);
  assert.equal(isFrozenByLayer('bert.encoder.layer.1.output.dense.weight', 1), false);
  assert.equal(isFrozenByLayer('bert.encoder.layer.10.output.dense.weight', 2), false);
  assert.equal(isFrozenByLayer('bert.pooler.dense.weight', 2), false);
  assert.equal(isFrozenByLayer('bert.embeddings.LayerNorm.weight', 0), false);
  const model = tinyModel(tokenizer);
  assert.throws(
    () => trainableModelVariables(model.variables, { freeze: 3 }, 2),
    /proxy.freeze must be an integer in \[0, 2\]/,
  );
  model.dispose();
});

test('with the bottom layer frozen, embeddings and layer 0 stay bit-identical and the rest trains', async () => {
  const model = tinyModel(tokenizer);
  const start = snapshot(model);
  await fineTune({
    model,
    tokenizer,
    dataset,
    hyperparameters,
    metrics: ['accuracy'],
    proxy: { freeze: 1 },
  });
  const end = snapshot(model);
  let frozen = 0;
  for (const [name, before] of start) {
    const same = sameBits(before, end.get(name)!);
    if (isFrozenByLayer(name, 1)) {
      frozen += 1;
      assert.ok(same, `${name} is frozen but changed`);
    } else {
      assert.ok(!same, `${name} should have trained`);
    }
  }
  assert.ok(frozen >= 10, `${frozen} frozen tensors`);
  model.dispose();
});

test('LoRA trains adapters and the head only; base weights stay bit-identical during training', async () => {
  const model = tinyModel(tokenizer);
  const start = snapshot(model);
  const midRun: Map<string, Float32Array>[] = [];
  await fineTune({
    model,
    tokenizer,
    dataset,
    hyperparameters,
    metrics: ['accuracy'],
    proxy: { lora: { rank: 2, targets: ['query', 'value'] } },
    onProgress: (ev) => {
      if (ev.step === 5) midRun.push(snapshot(model));
    },
  });
  const targets = (name: string) => /attention\.self\.(query|value)\.weight$/.test(name);
  for (const [name, before] of start) {
    const during = midRun[0]!.get(name)!;
    const after = model.variables.get(name)!.dataSync() as Float32Array;
    if (name.startsWith('classifier.')) {
      assert.ok(!sameBits(before, during), `head ${name} should train`);
    } else {
      assert.ok(sameBits(before, during), `${name} changed while LoRA was training`);
      // At the end the adapters are merged into the targets only.
      assert.equal(sameBits(before, after), !targets(name), `${name} after merge`);
    }
  }
  model.dispose();
});

test('merged weights are W + (alpha/r)·B·A for each target, computed without changing the model', () => {
  const model = tinyModel(tokenizer);
  const adapters = createLoraAdapters(model, { rank: 2, alpha: 6, targets: ['key', 'output'] }, 1);
  assert.deepEqual(
    [...adapters.keys()],
    [0, 1].flatMap((l) => [
      `bert.encoder.layer.${l}.attention.self.key.weight`,
      `bert.encoder.layer.${l}.attention.output.dense.weight`,
    ]),
  );
  const name = 'bert.encoder.layer.1.attention.output.dense.weight';
  const ad = adapters.get(name)!;
  assert.equal(ad.scale, 3);
  ad.b.assign(tf.randomNormal(ad.b.shape, 0, 1, 'float32', 9));
  const before = snapshot(model);
  const merged = mergedWeights(model, adapters);
  const w = before.get(name)!;
  const [out, inDim] = model.variables.get(name)!.shape;
  const a = ad.a.arraySync() as number[][];
  const b = ad.b.arraySync() as number[][];
  for (const [i, j] of [
    [0, 0],
    [3, 7],
    [out! - 1, inDim! - 1],
  ] as const) {
    const expected = w[i * inDim! + j]! + 3 * (b[i]![0]! * a[0]![j]! + b[i]![1]! * a[1]![j]!);
    assert.ok(Math.abs(merged.get(name)!.data[i * inDim! + j]! - expected) < 1e-5);
  }
  for (const [n, t] of snapshot(model)) assert.ok(sameBits(t, before.get(n)!), `${n} unchanged`);
  model.dispose();
});
