import assert from 'node:assert/strict';
import { test } from 'node:test';
import { weightsHeatmap } from '../../../src/webview/model/weights-heatmap';
import { fixtureEvents, foldAll } from './fixture';

const run = foldAll(fixtureEvents());

test('one column per fusion evaluation in index order, one row per checkpoint', () => {
  const map = weightsHeatmap(run);
  assert.equal(map.rows.length, run.checkpoints.size);
  assert.deepEqual(
    map.columns.map((c) => c.index),
    [...run.fusionEvals.keys()].sort((a, b) => a - b),
  );
  // Each column holds that evaluation's weights (catches a transposed matrix).
  for (const col of map.columns)
    assert.deepEqual(col.weights, run.fusionEvals.get(col.index)!.weights);
});

test('the chosen evaluation and the front are marked, nothing else', () => {
  const map = weightsHeatmap(run);
  assert.deepEqual(
    map.columns.filter((c) => c.chosen).map((c) => c.index),
    [run.selection!.index],
  );
  assert.deepEqual(
    map.columns
      .filter((c) => c.onFront)
      .map((c) => c.index)
      .sort(),
    [...run.front].sort(),
  );
});

test('a run before stage 3 has rows for its checkpoints and no columns', () => {
  const early = foldAll(fixtureEvents().filter((e) => e.type !== 'fusion-eval'));
  const map = weightsHeatmap(early);
  assert.equal(map.columns.length, 0);
  assert.equal(map.rows.length, early.checkpoints.size);
});
