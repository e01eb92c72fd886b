import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortedTrials, trialColumns } from '../../../src/webview/model/trial-table';
import { fixtureEvents, foldAll } from './fixture';

const run = foldAll(fixtureEvents());

test('trials sort by objective best first, the failed trial last in both directions', () => {
  // Objectives: 0 → 0.813, 2 → 0.847, 3 → 0.854; trial 1 failed (no objective).
  assert.deepEqual(
    sortedTrials(run, 'objective', true).map((t) => t.trial),
    [3, 2, 0, 1],
  );
  // Catches a flipped comparator and a missing value sorting as 0 (it would lead ascending).
  assert.deepEqual(
    sortedTrials(run, 'objective', false).map((t) => t.trial),
    [0, 2, 3, 1],
  );
});

test('a hyperparameter column sorts numerically, and every searched parameter has a column', () => {
  const lr = sortedTrials(run, 'param:learningRate', false).map((t) => t.params.learningRate!);
  assert.deepEqual(
    lr,
    [...lr].sort((a, b) => a - b),
  );
  const params = trialColumns(run)
    .filter((c) => c.key.startsWith('param:'))
    .map((c) => c.label);
  assert.deepEqual(params, ['batchSize', 'learningRate']);
});

test('equal values keep trial order whichever direction', () => {
  const bySeconds = sortedTrials(run, 'seconds', true).map((t) => t.trial);
  // Seconds: 0 → 6, 1 → 2, 2 → 6, 3 → 6: the three sixes keep trial order (catches negating the tie-break).
  assert.deepEqual(bySeconds, [0, 2, 3, 1]);
});
