import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckpointEvent } from '../../../src/contract/events';
import { foldEvents } from '../../../src/contract/fold';
import { trainingCurves, trialCurves } from '../../../src/webview/model/training';
import { fixtureEvents, foldAll, sequence } from './fixture';

const events = fixtureEvents();

test('stage-2 curves use only stage-2 events, sorted by step', () => {
  const c = trainingCurves(foldAll(events));
  const progress = events.filter((e) => e.type === 'train-progress' && e.stage === 'train');
  assert.equal(c.trainLoss.length, progress.length);
  for (let i = 1; i < c.trainLoss.length; i++) assert.ok(c.trainLoss[i]!.x > c.trainLoss[i - 1]!.x);
  const evalMetrics = events.flatMap((e) =>
    e.type === 'train-eval' && e.stage === 'train' ? Object.keys(e.validation.metrics) : [],
  );
  assert.deepEqual(
    c.metrics.map((m) => m.name),
    [...new Set(evalMetrics)].sort(),
  );
  assert.equal(c.validationLoss.length, c.metrics[0]!.points.length);
});

test('checkpoints are marked at their step with their validation values', () => {
  const c = trainingCurves(foldAll(events));
  const ckpts = events.filter((e): e is CheckpointEvent => e.type === 'checkpoint');
  assert.deepEqual(
    c.checkpoints.map((k) => [k.index, k.step, k.loss]),
    ckpts.map((k) => [k.index, k.step, k.validation.loss]),
  );
});

test('a repeated step (resumed run) keeps the later value, and the fold is incremental', () => {
  const progress = (step: number, loss: number) => ({
    type: 'train-progress',
    stage: 'train',
    step,
    totalSteps: 30,
    epoch: 0,
    loss,
    learningRate: 1e-5,
  });
  const all = sequence([progress(10, 1), progress(20, 0.9), progress(20, 0.8), progress(30, 0.7)]);
  const run = foldAll(all.slice(0, 2));
  foldEvents(run, all.slice(2));
  assert.deepEqual(trainingCurves(run).trainLoss, [
    { x: 10, y: 1 },
    { x: 20, y: 0.8 },
    { x: 30, y: 0.7 },
  ]);
});

test("stage-1 trial curves: each trial's own steps, interleaved trials kept apart, a rerun starts over", () => {
  // Catches: trial steps mixed into stage 2's curve or into another trial's (slots interleave
  // their events), validations of another metric plotted, a rerun trial's first attempt kept.
  const progress = (trial: number, step: number, loss: number) => ({
    type: 'train-progress',
    stage: 'search',
    trial,
    step,
    totalSteps: 3,
    epoch: step / 3,
    loss,
    learningRate: 1e-3,
  });
  const evaluation = (trial: number, step: number, accuracy: number) => ({
    type: 'train-eval',
    stage: 'search',
    trial,
    step,
    epoch: step / 3,
    validation: { loss: 1 - accuracy, metrics: { accuracy, f1: 0 } },
  });
  const run = foldAll(
    sequence([
      progress(0, 1, 0.9),
      progress(1, 1, 0.8),
      progress(0, 2, 0.7),
      evaluation(1, 1, 0.6),
      progress(1, 2, 0.5),
      progress(1, 3, 0.4),
      // Trial 0 cut off by a kill and run again after a resume.
      progress(0, 1, 0.95),
      evaluation(0, 1, 0.55),
    ]),
  );
  assert.deepEqual(trialCurves(run), [
    { trial: 0, loss: [{ x: 1, y: 0.95 }], metric: [{ x: 1, y: 0.55 }] },
    {
      trial: 1,
      loss: [
        { x: 1, y: 0.8 },
        { x: 2, y: 0.5 },
        { x: 3, y: 0.4 },
      ],
      metric: [{ x: 1, y: 0.6 }],
    },
  ]);
  assert.deepEqual(trainingCurves(run).trainLoss, []);
});
