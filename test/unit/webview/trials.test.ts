// Expectations on the recorded fixture are derived from its events, so a newly recorded
// log can replace it; exact values are checked on small hand-written logs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageStartEvent, TrialEndEvent, TrialStartEvent } from '../../../src/contract/events';
import { isLogScaled, paramScatters, trialHistory } from '../../../src/webview/model/trials';
import { fixtureEvents, foldAll, sequence } from './fixture';

const events = fixtureEvents();
const starts = events.filter((e): e is TrialStartEvent => e.type === 'trial-start');
const ends = events.filter((e): e is TrialEndEvent => e.type === 'trial-end');

test('the fixture has both a finished and a failed trial', () => {
  assert.ok(ends.some((e) => e.status === 'done'));
  assert.ok(ends.some((e) => e.status === 'failed'));
});

test('trial history splits trials by outcome, failures with their error', () => {
  const h = trialHistory(foldAll(events));
  assert.deepEqual(
    h.done.map((p) => [p.trial, p.objective]),
    ends.filter((e) => e.status === 'done').map((e) => [e.trial, e.objective]),
  );
  assert.deepEqual(
    h.failed.map((f) => [f.trial, f.error]),
    ends.filter((e) => e.status === 'failed').map((e) => [e.trial, e.error]),
  );
  assert.deepEqual(h.running, []);
});

test('best-so-far is the running maximum over trials in trial order, whatever the arrival order', () => {
  const objectives = [0.5, 0.7, 0.6, 0.9, 0.8];
  const order = [3, 0, 4, 1, 2];
  const log = sequence(
    order.flatMap((trial) => [
      { type: 'trial-start', trial, params: { lr: 10 ** -(trial + 1) }, x: [0], source: 'bo' },
      { type: 'trial-end', trial, status: 'done', objective: objectives[trial], seconds: 1 },
    ]),
  );
  assert.deepEqual(trialHistory(foldAll(log)).bestSoFar, [
    { trial: 0, best: 0.5 },
    { trial: 1, best: 0.7 },
    { trial: 2, best: 0.7 },
    { trial: 3, best: 0.9 },
    { trial: 4, best: 0.9 },
  ]);
});

test('a failed trial carries the best-so-far line on at the last best value', () => {
  const log = sequence([
    { type: 'trial-start', trial: 0, params: { lr: 1e-5 }, x: [0], source: 'initial' },
    { type: 'trial-end', trial: 0, status: 'done', objective: 0.8, seconds: 1 },
    { type: 'trial-start', trial: 1, params: { lr: 1e-3 }, x: [1], source: 'initial' },
    { type: 'trial-end', trial: 1, status: 'failed', error: 'NaN loss', seconds: 1 },
  ]);
  const h = trialHistory(foldAll(log));
  assert.deepEqual(h.bestSoFar, [
    { trial: 0, best: 0.8 },
    { trial: 1, best: 0.8 },
  ]);
  assert.deepEqual(h.failed, [{ trial: 1, error: 'NaN loss', params: { lr: 1e-3 } }]);
});

test('a trial without trial-end is running; one ending done without objective counts as failed', () => {
  const h = trialHistory(
    foldAll(
      sequence([
        { type: 'trial-start', trial: 0, params: { lr: 1 }, x: [0], source: 'initial' },
        { type: 'trial-end', trial: 0, status: 'done', seconds: 1 },
        { type: 'trial-start', trial: 1, params: { lr: 2 }, x: [1], source: 'initial' },
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
  const scatters = paramScatters(foldAll(events));
  const space = events.find(
    (e): e is StageStartEvent => e.type === 'stage-start' && e.stage === 'search',
  )?.space;
  const names = [...new Set(starts.flatMap((s) => Object.keys(s.params)))].sort();
  assert.deepEqual(
    scatters.map((s) => s.name),
    names,
  );
  for (const s of scatters) {
    const expected = ends
      .filter((e) => e.status === 'done' && e.objective !== undefined)
      .map((e) => ({
        x: starts.find((t) => t.trial === e.trial)!.params[s.name],
        y: e.objective,
        trial: e.trial,
      }));
    assert.deepEqual(s.points, expected);
    // The search space in stage-start decides; without it, the values' spread does.
    const declared = space?.find((p) => p.name === s.name)?.log;
    assert.equal(s.log, declared ?? isLogScaled(starts.map((t) => t.params[s.name]!)));
  }
});

test('the search space in stage-start decides log axes over the inference from values', () => {
  const run = foldAll(
    sequence([
      {
        type: 'stage-start',
        stage: 'search',
        total: 2,
        space: [
          { name: 'lr', type: 'float', low: 1e-5, high: 1e-3, log: true },
          { name: 'wd', type: 'float', low: 0.001, high: 0.1, log: false },
        ],
      },
      {
        type: 'trial-start',
        trial: 0,
        params: { lr: 2e-4, wd: 0.002 },
        x: [0, 0],
        source: 'initial',
      },
      {
        type: 'trial-start',
        trial: 1,
        params: { lr: 3e-4, wd: 0.09 },
        x: [1, 1],
        source: 'initial',
      },
    ]),
  );
  const byName = Object.fromEntries(paramScatters(run).map((s) => [s.name, s.log]));
  // lr spans less than a factor of 10 yet is log-scaled; wd spans 45× yet is linear.
  assert.deepEqual(byName, { lr: true, wd: false });
});
