import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/train/backend';
import { evaluate } from '../../../src/train/evaluate';
import { NonFiniteLossError } from '../../../src/train/loop/errors';
import { fineTune } from '../../../src/train/loop/fine-tune';
import type { StepProgress } from '../../../src/train/loop/types';
import { sentimentExamples, tinyModel, tinyTokenizer } from './loop-helpers';

before(async () => {
  await initBackend('wasm');
});

const tokenizer = tinyTokenizer();
const dataset = {
  task: 'classification' as const,
  train: sentimentExamples(96, 1),
  validation: sentimentExamples(48, 2),
};
const evalOpts = {
  batchSize: 32,
  maxLength: 16,
  metrics: ['accuracy' as const],
  task: 'classification' as const,
};

test('a few steps of training lower the loss (fitting a tiny task)', async () => {
  const model = tinyModel(tokenizer, 2, 2);
  const train = dataset.train.slice(0, 32);
  const start = await evaluate(model, tokenizer, train, evalOpts);
  const progress: StepProgress[] = [];
  const result = await fineTune({
    model,
    tokenizer,
    dataset: { task: 'classification', train, validation: train },
    hyperparameters: {
      learningRate: 1e-2,
      batchSize: 16,
      maxSteps: 60,
      warmupRatio: 0.1,
      maxLength: 16,
    },
    metrics: ['accuracy'],
    seed: 2,
    onProgress: (ev) => {
      progress.push(ev);
    },
  });
  assert.equal(result.status, 'completed');
  assert.deepEqual([result.steps, result.totalSteps], [60, 60]);
  assert.deepEqual(
    progress.map((p) => p.step),
    Array.from({ length: 60 }, (_, i) => i + 1),
  );
  assert.equal(progress[0]!.learningRate, 1e-2 / 6, 'warmup: 6 steps');
  // One evaluation per epoch end (2 steps each); epochs are fractional step counts.
  assert.deepEqual(
    result.history.map((h) => h.epoch),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  const end = result.history.at(-1)!.validation;
  assert.ok(end.loss < 0.3 * start.loss, `loss ${start.loss} → ${end.loss}`);
  assert.ok(
    end.metrics.accuracy! >= 0.9,
    `accuracy ${start.metrics.accuracy} → ${end.metrics.accuracy}`,
  );
  const best = Math.max(...result.history.map((h) => h.validation.metrics.accuracy!));
  assert.equal(result.best?.validation.metrics.accuracy, best);
  model.dispose();
});

test('evalEvery adds evaluations between epoch ends; objective "loss" picks the lowest loss', async () => {
  const model = tinyModel(tokenizer);
  const result = await fineTune({
    model,
    tokenizer,
    dataset,
    hyperparameters: { learningRate: 1e-3, batchSize: 32, maxSteps: 7, maxLength: 16 },
    metrics: ['accuracy'],
    objectiveMetric: 'loss',
    evalEvery: 2,
  });
  assert.deepEqual(
    result.history.map((h) => h.step),
    [2, 3, 4, 6, 7],
  );
  const lowest = Math.min(...result.history.map((h) => h.validation.loss));
  assert.equal(result.best?.validation.loss, lowest);
  model.dispose();
});

test('a NaN/Inf loss stops training with NonFiniteLossError and keeps the last checkpoint', async () => {
  const model = tinyModel(tokenizer, 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-nan-'));
  const saved: string[] = [];
  // A regression target of 1e30 squares to Infinity in float32 at the step that meets it.
  const train = sentimentExamples(64, 5);
  train[40] = { text: 'the movie', label: 1e30 };
  let error: unknown;
  try {
    await fineTune({
      model,
      tokenizer,
      dataset: { task: 'regression', train, validation: dataset.validation },
      hyperparameters: {
        learningRate: 1e-3,
        batchSize: 8,
        epochs: 1,
        maxLength: 16,
        maxGradNorm: 0,
      },
      metrics: ['pearson'],
      checkpoints: { count: 8, start: 0, dir },
      onCheckpoint: (c) => {
        saved.push(c.file);
      },
    });
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof NonFiniteLossError, `got ${error}`);
  assert.match(error.message, /loss is Infinity at step \d+ \(epoch 1\)/);
  assert.ok(
    saved.length >= 1 && saved.length < 8,
    `${saved.length} checkpoints before the divergence`,
  );
  assert.equal(error.lastCheckpoint, saved.at(-1));
  assert.match(error.message, /last good checkpoint is kept: .*ckpt-0\d\.safetensors/);
  assert.ok(fs.existsSync(saved.at(-1)!));
  assert.equal(error.step, saved.length + 1, 'the bad step comes right after the last saved one');
  fs.rmSync(dir, { recursive: true, force: true });
  model.dispose();
});

test('an abort signal stops between steps and releases every tensor', async () => {
  const model = tinyModel(tokenizer);
  const controller = new AbortController();
  const tensorsBefore = tf.memory().numTensors;
  const result = await fineTune({
    model,
    tokenizer,
    dataset,
    hyperparameters: { learningRate: 1e-3, batchSize: 8, epochs: 2, maxLength: 16 },
    metrics: ['accuracy'],
    signal: controller.signal,
    onProgress: (ev) => {
      if (ev.step === 5) controller.abort();
    },
  });
  assert.equal(result.status, 'aborted');
  assert.equal(result.steps, 5);
  assert.equal(result.totalSteps, 24);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'optimizer state and batches disposed');
  model.dispose();
});

test('an abort from a timer (no callbacks) stops the run between steps', async () => {
  const model = tinyModel(tokenizer);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const result = await fineTune({
    model,
    tokenizer,
    dataset,
    hyperparameters: { learningRate: 1e-3, batchSize: 8, maxSteps: 100_000, maxLength: 16 },
    metrics: ['accuracy'],
    signal: controller.signal,
  });
  assert.equal(result.status, 'aborted');
  assert.ok(result.steps < 100_000);
  model.dispose();
});

test('bad settings are refused with the field name', async () => {
  const model = tinyModel(tokenizer);
  const base = { model, tokenizer, dataset, metrics: ['accuracy' as const] };
  await assert.rejects(
    fineTune({ ...base, hyperparameters: { learningRate: -1, batchSize: 8 } }),
    /hyperparameters.learningRate must be a positive number/,
  );
  await assert.rejects(
    fineTune({
      ...base,
      hyperparameters: { learningRate: 1e-3, batchSize: 8 },
      objectiveMetric: 'f1',
    }),
    /objectiveMetric 'f1' is not among metrics/,
  );
  await assert.rejects(
    fineTune({
      ...base,
      hyperparameters: { learningRate: 1e-3, batchSize: 8, schedule: 'step' as 'linear' },
    }),
    /hyperparameters.schedule must be one of constant, linear, cosine, got 'step'/,
  );
  await assert.rejects(
    fineTune({
      ...base,
      dataset: { ...dataset, validation: [] },
      hyperparameters: { learningRate: 1e-3, batchSize: 8 },
    }),
    /validation split is empty/,
  );
  model.dispose();
});
