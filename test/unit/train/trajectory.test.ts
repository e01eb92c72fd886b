/**
 * Five steps of `fineTune` against the same five steps in PyTorch
 * (test/fixtures/train-loop/trajectory-reference.py, float64): the loss of every step and
 * every weight afterwards, for a classifier (cross-entropy) and a regressor (MSE), plus the
 * first step's gradients. A loss summed instead of averaged, a mis-scaled gradient (the
 * fixture's clipping threshold lies between the steps' gradient norms, so any scale changes
 * which steps are clipped), a wrong schedule, decay group, bias correction or clipping rule
 * all move the trajectory away from the reference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import type { Example } from '../../../src/train/data';
import { collateBatch, disposeBatch } from '../../../src/train/loop/batching';
import { fineTune } from '../../../src/train/loop/fine-tune';
import { batchLoss } from '../../../src/train/loop/loss';
import type { Hyperparameters } from '../../../src/train/loop/types';
import type { TaskKind } from '../../../src/train/metrics';
import { EncoderClassifier, encoderConfigFromHF } from '../../../src/train/model';
import {
  assertFinalWeights,
  assertGradients,
  type FixtureTensor,
  idTokenizer,
  maxError,
  namedTensors,
  PAD,
} from './fixture-helpers';

interface TrajectoryCase {
  name: string;
  numLabels: number;
  labels: number[];
  hyperparameters: Hyperparameters;
  init: Record<string, FixtureTensor>;
  firstGradients: Record<string, FixtureTensor>;
  losses: number[];
  gradNorms: number[];
  final: Record<string, FixtureTensor>;
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/train-loop/trajectory-reference.json'), 'utf8'),
) as { config: Record<string, unknown>; examples: number[][]; cases: TrajectoryCase[] };

const idTok = idTokenizer(fixture.config.vocab_size as number);

function examplesOf(c: TrajectoryCase): Example[] {
  return fixture.examples.map((ids, i) => ({ text: ids.join(' '), label: c.labels[i] as number }));
}

function modelOf(c: TrajectoryCase): EncoderClassifier {
  const model = new EncoderClassifier(encoderConfigFromHF(fixture.config), {
    numLabels: c.numLabels,
  });
  model.setWeights(namedTensors(c.init));
  return model;
}

const taskOf = (c: TrajectoryCase): TaskKind =>
  c.numLabels === 1 ? 'regression' : 'classification';

before(async () => {
  await initBackend('wasm');
});

for (const c of fixture.cases) {
  test(`${c.name}: the first step's gradients equal PyTorch's of the batch-mean loss`, () => {
    const model = modelOf(c);
    const examples = examplesOf(c);
    const encoded = examples.map((ex) => {
      const e = idTok.encode(ex.text);
      return {
        inputIds: Int32Array.from(e.inputIds),
        tokenTypeIds: Int32Array.from(e.tokenTypeIds),
      };
    });
    const batch = collateBatch(
      encoded,
      encoded.map((_, i) => i),
      PAD,
    );
    const names = Object.keys(c.firstGradients);
    const vars = names.map((n) => model.variables.get(n) as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => batchLoss(model.forward(batch, { training: true }), c.labels, taskOf(c)),
      vars,
    );
    assert.ok(maxError(value.dataSync(), [c.losses[0] as number]) < 1e-5, 'loss of step 1');
    assertGradients(grads, model.variables, c.firstGradients);
    tf.dispose([value, ...Object.values(grads)]);
    disposeBatch(batch);
    model.dispose();
  });

  test(`${c.name}: five fineTune steps (clipping, AdamW, schedule) follow PyTorch's losses and weights`, async () => {
    const clipped = c.gradNorms.map((n) => n > (c.hyperparameters.maxGradNorm as number));
    assert.ok(
      clipped.includes(true) && clipped.includes(false),
      'fixture: some steps clipped, some not',
    );
    const model = modelOf(c);
    const train = examplesOf(c);
    const losses: number[] = [];
    const result = await fineTune({
      model,
      tokenizer: idTok,
      dataset: { task: taskOf(c), train, validation: train.slice(0, 2) },
      hyperparameters: c.hyperparameters,
      metrics: [c.numLabels === 1 ? 'pearson' : 'accuracy'],
      onProgress: (p) => {
        losses.push(p.loss);
      },
    });
    assert.equal(result.steps, 5);
    assert.ok(maxError(losses, c.losses) < 1e-5, `losses ${losses} vs ${c.losses}`);
    assertFinalWeights(
      model.getWeights(),
      c.final,
      c.init,
      c.hyperparameters.learningRate as number,
    );
    model.dispose();
  });
}
