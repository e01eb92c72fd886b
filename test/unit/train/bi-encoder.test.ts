/**
 * The bi-encoder regressor (`pair_encoding: bi`) against the same model in float64 PyTorch
 * (test/fixtures/train-loop/bi-encoder-reference.py): encoding a pair as two single sentences,
 * the 2B-row batch layout, masked mean pooling, the cosine, the scale and offset initialised
 * from the labels' range, their gradients, and five fineTune steps (losses and every weight).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import type { Example } from '../../../src/train/data';
import { evaluate } from '../../../src/train/evaluate';
import { collateBatch, disposeBatch } from '../../../src/train/loop/batching';
import { encodeExamples } from '../../../src/train/loop/encoding';
import { fineTune } from '../../../src/train/loop/fine-tune';
import { batchLoss } from '../../../src/train/loop/loss';
import { trainableModelVariables } from '../../../src/train/loop/proxy';
import type { Hyperparameters } from '../../../src/train/loop/types';
import {
  COSINE_REGRESSOR,
  EncoderClassifier,
  encoderConfigFromHF,
  labelRangeOf,
} from '../../../src/train/model';
import {
  assertFinalWeights,
  assertGradients,
  type FixtureTensor,
  idTokenizer,
  maxError,
  namedTensors,
  PAD,
} from './fixture-helpers';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/train-loop/bi-encoder-reference.json'), 'utf8'),
) as {
  config: Record<string, unknown>;
  pairs: [number[], number[]][];
  labels: number[];
  hyperparameters: Hyperparameters;
  init: Record<string, FixtureTensor>;
  firstOutputs: FixtureTensor;
  firstGradients: Record<string, FixtureTensor>;
  losses: number[];
  gradNorms: number[];
  final: Record<string, FixtureTensor>;
  finalOutputs: FixtureTensor;
};

const tokenizer = idTokenizer(fixture.config.vocab_size as number);
const examples: Example[] = fixture.pairs.map(([a, b], i) => ({
  text: a.join(' '),
  pair: b.join(' '),
  label: fixture.labels[i]!,
}));

/** The fixture's encoder weights; the head as the model initialises it from the labels' range. */
function freshModel(): EncoderClassifier {
  const config = encoderConfigFromHF(fixture.config);
  assert.equal(config.pairEncoding, 'bi');
  const model = new EncoderClassifier(config, {
    numLabels: 1,
    labelRange: labelRangeOf(fixture.labels),
  });
  model.setWeights(namedTensors(fixture.init), { strict: false });
  return model;
}

before(async () => {
  await initBackend('wasm');
});

test('bi encoding: each sentence alone, and a batch of B pairs is the B first sentences then the B second ones', () => {
  const encoded = encodeExamples(tokenizer, examples, 64, 'bi');
  const [a, b] = fixture.pairs[1]!;
  assert.deepEqual([...encoded[1]!.inputIds], [2, ...a, 3]);
  assert.deepEqual([...encoded[1]!.second!.inputIds], [2, ...b, 3]);
  assert.ok(encoded.every((e) => e.tokenTypeIds.every((t) => t === 0)));
  const batch = collateBatch(encoded, [1, 0], PAD);
  const rows = batch.inputIds.arraySync();
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0]!.slice(0, a.length + 2), [2, ...a, 3]);
  assert.deepEqual(rows[2]!.slice(0, b.length + 2), [2, ...b, 3]);
  assert.deepEqual(rows[3]!.slice(0, fixture.pairs[0]![1].length + 2), [
    2,
    ...fixture.pairs[0]![1],
    3,
  ]);
  disposeBatch(batch);
  // Each sentence has its own budget: a cross pair of 3 + 7 tokens would not fit in 8.
  const tight = encodeExamples(
    tokenizer,
    [{ text: '5 6 7', pair: '8 9 10 11 12 13 14', label: 0 }],
    8,
    'bi',
  );
  assert.equal(tight[0]!.inputIds.length, 5);
  assert.equal(tight[0]!.second!.inputIds.length, 8);
});

test("the forward pass, loss and first gradients equal PyTorch's (head initialised from the labels' range)", () => {
  const model = freshModel();
  const encoded = encodeExamples(tokenizer, examples, 64, 'bi');
  const batch = collateBatch(
    encoded,
    encoded.map((_, i) => i),
    PAD,
  );
  const names = Object.keys(fixture.firstGradients);
  assert.ok(
    names.includes(`${COSINE_REGRESSOR}.weight`) && names.includes(`${COSINE_REGRESSOR}.bias`),
  );
  const vars = names.map((n) => model.variables.get(n) as tf.Variable);
  let outputs: Float32Array | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(batch, { training: true });
    outputs = out.dataSync() as Float32Array;
    return batchLoss(out, fixture.labels, 'regression');
  }, vars);
  const outErr = maxError(outputs!, fixture.firstOutputs.data);
  assert.ok(outErr < 1e-5, `outputs differ by ${outErr}`);
  assert.ok(maxError(value.dataSync(), [fixture.losses[0]!]) < 1e-5, 'loss of step 1');
  assertGradients(grads, model.variables, fixture.firstGradients);
  tf.dispose([value, ...Object.values(grads)]);
  disposeBatch(batch);
  model.dispose();
});

test("five fineTune steps follow PyTorch's losses and weights, the scale and offset included", async () => {
  const clipped = fixture.gradNorms.map((n) => n > (fixture.hyperparameters.maxGradNorm as number));
  assert.ok(clipped.includes(true) && clipped.includes(false), 'fixture: some steps clipped');
  const model = freshModel();
  const losses: number[] = [];
  const result = await fineTune({
    model,
    tokenizer,
    dataset: { task: 'regression', train: examples, validation: examples },
    hyperparameters: fixture.hyperparameters,
    metrics: ['pearson'],
    onProgress: (p) => {
      losses.push(p.loss);
    },
  });
  assert.equal(result.steps, 5);
  assert.ok(maxError(losses, fixture.losses) < 1e-5, `losses ${losses} vs ${fixture.losses}`);
  const weights = model.getWeights();
  assert.deepEqual([...weights.keys()].sort(), Object.keys(fixture.final).sort());
  assertFinalWeights(
    weights,
    fixture.final,
    fixture.init,
    fixture.hyperparameters.learningRate as number,
  );
  // Evaluation batches pairs by length, not in the training order: outputs come back in order.
  const scored = await evaluate(model, tokenizer, examples, {
    batchSize: 4,
    maxLength: 64,
    metrics: ['pearson'],
    task: 'regression',
  });
  const err = maxError(scored.outputs.flat(), fixture.finalOutputs.data);
  assert.ok(err < 1e-4, `evaluation outputs differ by ${err}`);
  model.dispose();
});

test('a LoRA proxy trains the cosine head (the task head), as it trains the classifier', () => {
  const model = freshModel();
  const trained = [
    ...trainableModelVariables(model.variables, { lora: { rank: 2, alpha: 4 } }, 2).keys(),
  ];
  assert.deepEqual(trained.sort(), [`${COSINE_REGRESSOR}.bias`, `${COSINE_REGRESSOR}.weight`]);
  model.dispose();
});

test("the head's starting range: lowest to highest training label, at any training-set size", () => {
  assert.deepEqual(labelRangeOf([2, 0.5, 4, 1]), [0.5, 4]);
  // A constant label still gives a usable scale (1), not 0.
  assert.deepEqual(labelRangeOf([3, 3]), [3, 4]);
  // Catches Math.min(...labels), which overflows the call stack on a large training set.
  const many = Array.from({ length: 300_000 }, (_, i) => (i * 7) % 11);
  assert.deepEqual(labelRangeOf(many), [0, 10]);
});
