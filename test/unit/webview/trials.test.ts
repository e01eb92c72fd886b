import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLogScaled, paramScatters, trialHistory } from '../../../src/webview/model/trials';
import { fixtureEvents, foldAll, sequence } from './fixture';

test('the finished run has one done and one failed trial, the failure with its error', () => {
  const h = trialHistory(foldAll(fixtureEvents()));
  assert.deepEqual(
    h.done.map((p) => [p.trial, p.objective]),
    [[0, 0.808]],
  );
  assert.deepEqual(h.failed, [
    {
      trial: 1,
      error: 'loss became NaN at step 30',
      params: { learningRate: 4e-4, weightDecay: 0.1, warmupRatio: 0.1 },
    },
  ]);
  assert.deepEqual(h.running, []);
  // The failed trial keeps the best-so-far line going at the last best value.
  assert.deepEqual(h.bestSoFar, [
    { trial: 0, best: 0.808 },
    { trial: 1, best: 0.808 },
  ]);
});

test('best-so-far is the running maximum over trials in trial order, whatever the arrival order', () => {
  const objectives = [0.5, 0.7, 0.6, 0.9, 0.8];
  const order = [3, 0, 4, 1, 2];
  const events = sequence(
    order.flatMap((trial) => [
      { type: 'trial-start', trial, params: { lr: 10 ** -(trial + 1) }, source: 'bo' },
      { type: 'trial-end', trial, status: 'done', objective: objectives[trial], seconds: 1 },
    ]),
  );
  const h = trialHistory(foldAll(events));
  let best = Number.NEGATIVE_INFINITY;
  const expected = objectives.map((o, trial) => {
    best = Math.max(best, o);
    return { trial, best };
  });
  assert.deepEqual(h.bestSoFar, expected);
});

test('a trial without trial-end is running; one ending done without objective counts as failed', () => {
  const h = trialHistory(
    foldAll(
      sequence([
        { type: 'trial-start', trial: 0, params: { lr: 1 }, source: 'initial' },
        { type: 'trial-end', trial: 0, status: 'done', seconds: 1 },
        { type: 'trial-start', trial: 1, params: { lr: 2 }, source: 'initial' },
      ]),
    ),
  );
  assert.deepEqual(h.running, [1]);
  assert.deepEqual(
    h.failed.map((f) => f.trial),
    [0],
  );
  assert.deepEqual(h.bestSoFar, []);
});

test('log scale is inferred from positive values spanning a factor of 10 or more', () => {
  assert.equal(isLogScaled([2e-5, 4e-4]), true);
  assert.equal(isLogScaled([0.06, 0.1]), false);
  assert.equal(isLogScaled([0, 1, 100]), false, 'zero cannot sit on a log axis');
  assert.equal(isLogScaled([1e-3]), false, 'one value says nothing about the range');
});

test('hyperparameter scatters: one per parameter, points only for trials with an objective', () => {
  const scatters = paramScatters(foldAll(fixtureEvents()));
  assert.deepEqual(
    scatters.map((s) => [s.name, s.log]),
    [
      ['learningRate', true],
      ['warmupRatio', false],
      ['weightDecay', true],
    ],
  );
  for (const s of scatters)
    assert.deepEqual(
      s.points.map((p) => [p.trial, p.y]),
      [[0, 0.808]],
    );
  assert.equal(scatters[0]!.points[0]!.x, 2e-5);
});
