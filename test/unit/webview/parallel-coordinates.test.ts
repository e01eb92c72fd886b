// Parallel coordinates projected from the fold: exact positions on small hand-written logs,
// counts on the recorded fixture (derived from its events, so a re-recorded log still fits).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrialEndEvent } from '../../../src/contract/events';
import { parallelCoordinates } from '../../../src/webview/model/parallel-coordinates';
import { fixtureEvents, foldAll, sequence } from './fixture';

const close = (a: number | null | undefined, b: number, what: string) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

const space = {
  type: 'stage-start',
  stage: 'search',
  total: 4,
  space: [
    { name: 'lr', type: 'float', low: 1e-5, high: 1e-3, log: true },
    { name: 'batch', type: 'int', low: 8, high: 32, log: false },
  ],
};

const trial = (n: number, params: object, end: object) => [
  { type: 'trial-start', trial: n, params, x: [0, 0], source: 'bo' },
  { type: 'trial-end', trial: n, seconds: 1, ...end },
];

const log = sequence([
  space,
  ...trial(0, { lr: 1e-4, batch: 16 }, { status: 'done', objective: 0.9 }),
  ...trial(1, { lr: 1e-5, batch: 32 }, { status: 'failed', error: 'NaN loss' }),
  ...trial(2, { lr: 1e-3, batch: 8 }, { status: 'done', objective: 0.7 }),
  ...trial(3, { lr: 3e-4, batch: 24 }, { status: 'done', objective: 0.8 }),
  { type: 'trial-start', trial: 4, params: { lr: 2e-5, batch: 9 }, x: [0, 0], source: 'bo' },
]);

test('axes: searched hyperparameters by name, then the objective over the finished trials', () => {
  const { axes } = parallelCoordinates(foldAll(log));
  assert.deepEqual(
    axes.map((a) => [a.name, a.objective, a.log, a.low, a.high]),
    [
      ['batch', false, false, 8, 32],
      ['lr', false, true, 1e-5, 1e-3],
      // The failed trial has no objective and does not stretch the axis.
      ['objective', true, false, 0.7, 0.9],
    ],
  );
});

test('a log-searched value sits at its log10 fraction of the range, a linear one at its fraction', () => {
  const line = parallelCoordinates(foldAll(log)).lines.find((l) => l.trial === 0)!;
  close(line.positions[0], (16 - 8) / 24, 'batch (linear)');
  // Linear scaling would put 1e-4 at 0.09; on a log axis it is halfway from 1e-5 to 1e-3.
  close(line.positions[1], 0.5, 'lr (log)');
  close(line.positions[2], 1, 'objective (the best)');
  assert.deepEqual(line.values, [16, 1e-4, 0.9]);
});

test('a failed trial keeps its hyperparameters, has no objective point and says why', () => {
  const failed = parallelCoordinates(foldAll(log)).lines.filter((l) => l.failed);
  assert.equal(failed.length, 1);
  const [line] = failed;
  assert.equal(line!.trial, 1);
  assert.equal(line!.error, 'NaN loss');
  assert.equal(line!.objective, undefined);
  close(line!.positions[0], 1, 'batch 32 at the top');
  close(line!.positions[1], 0, 'lr 1e-5 at the bottom');
  assert.equal(line!.positions[2], null);
});

test('lines are drawn failed first, then from the worst objective to the best; running trials wait', () => {
  const { lines } = parallelCoordinates(foldAll(log));
  assert.deepEqual(
    lines.map((l) => l.trial),
    [1, 2, 3, 0],
  );
});

test('without a recorded search space, ranges and log scaling come from the values tried', () => {
  const bare = sequence([
    ...trial(0, { lr: 1e-5, dropout: 0.1 }, { status: 'done', objective: 0.5 }),
    ...trial(1, { lr: 1e-3, dropout: 0.3 }, { status: 'done', objective: 0.6 }),
    ...trial(2, { lr: 1e-4, dropout: 0.2 }, { status: 'done', objective: 0.55 }),
  ]);
  const pc = parallelCoordinates(foldAll(bare));
  assert.deepEqual(
    pc.axes.map((a) => [a.name, a.log, a.low, a.high]),
    [
      ['dropout', false, 0.1, 0.3],
      ['lr', true, 1e-5, 1e-3],
      ['objective', false, 0.5, 0.6],
    ],
  );
  const middle = pc.lines.find((l) => l.trial === 2)!;
  close(middle.positions[0], 0.5, 'dropout');
  close(middle.positions[1], 0.5, 'lr');
  close(middle.positions[2], 0.5, 'objective');
});

test('the recorded run: one line per ended trial, its failed trials marked', () => {
  const events = fixtureEvents();
  const ends = events.filter((e): e is TrialEndEvent => e.type === 'trial-end');
  const pc = parallelCoordinates(foldAll(events));
  assert.equal(pc.lines.length, new Set(ends.map((e) => e.trial)).size);
  assert.deepEqual(
    pc.lines.filter((l) => l.failed).map((l) => l.trial),
    [...new Set(ends.filter((e) => e.status === 'failed').map((e) => e.trial))].sort(
      (a, b) => a - b,
    ),
  );
  assert.equal(pc.axes.at(-1)!.objective, true);
  for (const line of pc.lines)
    for (const p of line.positions) if (p !== null) assert.ok(p >= 0 && p <= 1, String(p));
});

test('an empty run has no axes and no lines', () => {
  assert.deepEqual(parallelCoordinates(foldAll([])), { axes: [], lines: [] });
});
