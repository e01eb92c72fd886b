import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldLog } from '../../../src/contract/fold';
import { elapsedSeconds, formatDuration, stageEta, timingLine } from '../../../src/contract/timing';
import { fixtureEvents } from './fixture';

const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + s * 1000).toISOString();
const ev = (seq: number, s: number, p: object) => ({ seq, time: at(s), ...p });
const start = ev(0, 0, { type: 'run-start', schemaVersion: 1, name: 'x', runDir: '/r', pid: 1 });

test('a finished run has lasted from its first run-start to its run-end, whatever the clock says now', () => {
  const events = fixtureEvents();
  const run = foldLog(events);
  const expected = (Date.parse(events.at(-1)!.time) - Date.parse(events[0]!.time)) / 1000;
  assert.equal(elapsedSeconds(run, Date.now()), expected);
  assert.equal(stageEta(run, Date.now()), undefined);
  assert.doesNotMatch(timingLine(run, Date.now()), /elapsed|left/);
});

test('the running stage ends at the rate seen so far: a quarter done in 60 s leaves 180 s', () => {
  // Catches an inverted fraction (60 s left) or time measured from the run's start.
  const run = foldLog([
    start as never,
    ev(1, 100, { type: 'stage-start', stage: 'fusion', total: 8 }) as never,
    ...([0, 1].map((i) =>
      ev(2 + i, 130 + 30 * i, {
        type: 'fusion-eval',
        index: i,
        source: 'bo',
        x: [0],
        weights: [1],
        validation: { loss: 1, metrics: {} },
        objectives: [0, 0],
      }),
    ) as never[]),
  ]);
  const eta = stageEta(run, Date.parse(at(160)));
  assert.deepEqual(eta, { stage: 'fusion', secondsLeft: 180 });
  assert.equal(timingLine(run, Date.parse(at(160))), '2m 40s elapsed · fusion ~3m 00s left');
});

test('in stage 1 the trial in progress counts by its steps', () => {
  const run = foldLog([
    start as never,
    ev(1, 0, { type: 'stage-start', stage: 'search', total: 2 }) as never,
    ev(2, 0, { type: 'trial-start', trial: 0, params: {}, x: [], source: 'initial' }) as never,
    ev(3, 50, {
      type: 'train-progress',
      stage: 'search',
      trial: 0,
      step: 5,
      totalSteps: 10,
      epoch: 0,
      loss: 1,
      learningRate: 0,
    }) as never,
  ]);
  // Half of one of two trials after 50 s: 150 s left.
  assert.equal(stageEta(run, Date.parse(at(50)))?.secondsLeft, 150);
});

test('no ETA before any progress (there is no rate yet)', () => {
  const run = foldLog([
    start as never,
    ev(1, 0, { type: 'stage-start', stage: 'fusion', total: 8 }) as never,
  ]);
  assert.equal(stageEta(run, Date.parse(at(30))), undefined);
});

test('durations read as seconds, then minutes and seconds, then hours and minutes', () => {
  assert.deepEqual([0, 59, 60, 200, 3599, 3600, 3725].map(formatDuration), [
    '0s',
    '59s',
    '1m 00s',
    '3m 20s',
    '59m 59s',
    '1h 00m',
    '1h 02m',
  ]);
});
