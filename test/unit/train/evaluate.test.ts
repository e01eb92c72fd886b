import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { evaluate } from '../../../src/train/evaluate';
import { crossEntropy } from '../../../src/train/metrics';
import { sentimentExamples, tinyModel, tinyTokenizer } from './loop-helpers';

before(async () => {
  await initBackend('wasm');
});

const tokenizer = tinyTokenizer();
const examples = sentimentExamples(37, 3);
const opts = {
  batchSize: 8,
  maxLength: 16,
  metrics: ['accuracy' as const, 'mcc' as const],
  task: 'classification' as const,
};

test('outputs come back in example order whatever the batching, and no tensor leaks', async () => {
  const model = tinyModel(tokenizer);
  const before = tf.memory().numTensors;
  const batched = await evaluate(model, tokenizer, examples, opts);
  assert.equal(tf.memory().numTensors, before, 'evaluate leaves no tensor behind');
  const one = await evaluate(model, tokenizer, examples, { ...opts, batchSize: 1 });
  assert.equal(batched.outputs.length, examples.length);
  for (let i = 0; i < examples.length; i++)
    for (let c = 0; c < 2; c++)
      assert.ok(Math.abs(batched.outputs[i]![c]! - one.outputs[i]![c]!) < 1e-5, `example ${i}`);
  // One example alone, unpadded, gives the same logits as inside a padded batch.
  const single = await evaluate(model, tokenizer, [examples[5]!], opts);
  assert.ok(Math.abs(single.outputs[0]![0]! - batched.outputs[5]![0]!) < 1e-5);
  assert.ok(
    Math.abs(
      batched.loss -
        crossEntropy(
          batched.outputs,
          examples.map((e) => e.label),
        ),
    ) < 1e-12,
  );
  assert.deepEqual(Object.keys(batched.metrics).sort(), ['accuracy', 'mcc']);
  model.dispose();
});

test('evaluates weights set from elsewhere (as the fusion layer does) and runs in inference mode', async () => {
  const a = tinyModel(tokenizer, 2, 1);
  const b = tinyModel(tokenizer, 2, 2);
  const ra = await evaluate(a, tokenizer, examples, opts);
  const rb = await evaluate(b, tokenizer, examples, opts);
  assert.notDeepEqual(ra.outputs, rb.outputs);
  b.setWeights(a.getWeights());
  const again = await evaluate(b, tokenizer, examples, opts);
  assert.deepEqual(again.outputs, ra.outputs, 'no dropout: same weights, same outputs');
  a.dispose();
  b.dispose();
});
