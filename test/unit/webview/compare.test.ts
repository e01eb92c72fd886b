import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentRow } from '../../../src/contract/experiments-protocol';
import {
  commonAxes,
  configDiff,
  frontOverlay,
  historyOverlay,
  resultsDiff,
  trainLossOverlay,
} from '../../../src/webview/model/compare';
import { paretoSeries } from '../../../src/webview/model/pareto';
import { fixtureEvents, foldAll, sequence } from './fixture';

const fixture = foldAll(fixtureEvents());

function stage3Only(metrics: Record<string, number>[]) {
  return foldAll(
    sequence(
      metrics.map((m, index) => ({
        type: 'fusion-eval',
        index,
        source: 'initial',
        x: [0],
        weights: [1],
        validation: { loss: 1 - index / 10, metrics: m },
        objectives: [0, 0],
      })),
    ),
  );
}

test('each run keeps its own front and chosen point, in the order the runs were given', () => {
  const empty = foldAll([]);
  const overlay = frontOverlay([
    { title: 'A', fold: fixture },
    { title: 'B', fold: empty },
  ]);
  const own = paretoSeries(fixture, overlay.xDim, overlay.yDim);
  assert.deepEqual(
    overlay.fronts.map((f) => f.title),
    ['A', 'B'],
  );
  // Catches mixing the runs' points into one front, or swapping the runs.
  assert.deepEqual(
    overlay.fronts[0]!.points,
    own.frontLine.map((p) => ({ x: p.x, y: p.y })),
  );
  assert.ok(overlay.fronts[0]!.points.length > 0);
  assert.deepEqual(overlay.fronts[1]!.points, []);
  const chosen = fixture.fusionEvals.get(fixture.selection!.index)!.validation;
  assert.deepEqual(overlay.chosen[0], { x: chosen.loss, y: chosen.metrics.accuracy });
  assert.equal(overlay.chosen[1], undefined);
});

test('the plotted metric is one every run reports, not just the first run', () => {
  const a = stage3Only([{ accuracy: 0.5, f1: 0.4 }]);
  const b = stage3Only([{ f1: 0.6 }]);
  // Catches taking the first run's default axes: accuracy would be NaN for run B.
  assert.equal(
    commonAxes([
      { title: 'a', fold: a },
      { title: 'b', fold: b },
    ])[1].key,
    'metric:f1',
  );
});

test('stage-1 histories and training losses are one series per run', () => {
  const runs = [
    { title: 'A', fold: fixture },
    { title: 'B', fold: foldAll([]) },
  ];
  const history = historyOverlay(runs);
  // Trials 0, 2, 3 finished (0.813, 0.847, 0.854) and trial 1 failed: best so far never falls.
  assert.deepEqual(
    history[0]!.points.map((p) => p.x),
    [0, 1, 2, 3],
  );
  const ys = history[0]!.points.map((p) => p.y);
  assert.ok(ys.every((y, i) => i === 0 || y >= ys[i - 1]!));
  assert.deepEqual(history[1]!.points, []);
  assert.equal(trainLossOverlay(runs)[0]!.points.length, fixture.trainLoss.length);
});

test('the config diff lists every key once and flags values that differ or are missing', () => {
  const rows = configDiff([
    { name: 'sst2', train: { lr: 0.1, layers: [1, 2] }, seed: 1 },
    { name: 'sst2', train: { lr: 0.2, layers: [1, 2] } },
    undefined,
  ]);
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
  assert.deepEqual(
    rows.map((r) => r.key),
    ['name', 'seed', 'train.layers.0', 'train.layers.1', 'train.lr'],
  );
  assert.deepEqual(byKey['train.lr']!.values, ['0.1', '0.2', '–']);
  assert.equal(byKey['train.lr']!.differs, true);
  // A key only one run sets differs (catches comparing only keys present in all configs).
  assert.deepEqual(byKey.seed!.values, ['1', '–', '–']);
  const same = configDiff([{ a: 1 }, { a: 1 }]);
  assert.equal(same[0]!.differs, false); // catches flagging every row
});

test('the results diff is the table transposed: one row per column, equal values not flagged', () => {
  const row = (test: number): ExperimentRow => ({
    runDir: `/${test}`,
    title: `t${test}`,
    state: 'done',
    params: {},
    test,
  });
  const columns = [
    { key: 'state', label: 'Status' },
    { key: 'test', label: 'Test' },
  ];
  const format = (r: ExperimentRow, c: { key: string }) => String(r[c.key as 'test' | 'state']);
  const diff = resultsDiff([row(0.7), row(0.8)], columns, format);
  assert.deepEqual(diff, [
    { key: 'Status', values: ['done', 'done'], differs: false },
    { key: 'Test', values: ['0.7', '0.8'], differs: true },
  ]);
});
