import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckpointEvent, StageEndEvent, StageStartEvent } from '../../../src/contract/events';
import {
  type BaselineEvent,
  isSearchEvaluation,
  type ParetoUpdateEvent,
  type SelectionEvent,
} from '../../../src/contract/fusion-events';
import { chosenWeights, hypervolumeSeries } from '../../../src/webview/model/fusion';
import { resultsTable } from '../../../src/webview/model/results';
import { stageSummaries } from '../../../src/webview/model/summary';
import { fixtureEvents, foldAll, sequence } from './fixture';

const events = fixtureEvents();
const selection = events.find((e): e is SelectionEvent => e.type === 'selection')!;
const checkpoints = events.filter((e): e is CheckpointEvent => e.type === 'checkpoint');
const baselines = events.filter((e): e is BaselineEvent => e.type === 'baseline');

test('hypervolume is traced per evaluation count and never decreases on the fixture', () => {
  const updates = events.filter((e): e is ParetoUpdateEvent => e.type === 'pareto-update');
  const series = hypervolumeSeries(foldAll(events));
  assert.deepEqual(
    series,
    updates.map((u) => ({ x: u.evaluations, y: u.hypervolume })),
  );
  for (let i = 1; i < series.length; i++) assert.ok(series[i]!.y >= series[i - 1]!.y);
});

test('the chosen weights come from the selection, labelled by checkpoint and step', () => {
  const w = chosenWeights(foldAll(events));
  assert.deepEqual(w.chosen, selection.weights);
  assert.deepEqual(
    w.labels,
    checkpoints.map((c) => `ckpt ${c.index} · step ${c.step}`),
  );
  const sum = w.chosen.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9, 'weights on the simplex');
});

test('before the selection there are checkpoint labels but no weights', () => {
  const upTo = events.findIndex((e) => e.type === 'selection');
  const w = chosenWeights(foldAll(events.slice(0, upTo)));
  assert.deepEqual(w.chosen, []);
  assert.equal(w.labels.length, checkpoints.length);
});

test('the results table lists BOMF first, then each baseline in reported order', () => {
  const table = resultsTable(foldAll(events));
  assert.deepEqual(
    table.rows.map((r) => r.method),
    ['bomf', ...baselines.map((b) => b.name).filter((n) => n !== 'bomf')],
  );
  const names = new Set(
    baselines.flatMap((b) => [
      ...Object.keys(b.validation.metrics),
      ...Object.keys(b.test?.metrics ?? {}),
    ]),
  );
  assert.deepEqual(table.metricNames, [...names].sort());
  for (const row of table.rows) {
    const source = baselines.find((b) => b.name === row.method)!;
    assert.deepEqual(row.validation, source.validation);
    assert.deepEqual(row.test, source.test);
  }
  for (const b of baselines) {
    assert.deepEqual(table.rows.find((r) => r.method === b.name)!.notes, b.notes ?? []);
  }
});

test('the best test value per column is found by direction: lowest loss, highest metrics', () => {
  // Catches a flipped comparison (max loss / min metric marked best).
  const table = resultsTable(foldAll(events));
  const rows = table.rows.filter((r) => r.test);
  const minLoss = Math.min(...rows.map((r) => r.test!.loss));
  const maxAcc = Math.max(...rows.map((r) => r.test!.metrics.accuracy!));
  for (const method of table.bestTest.loss!) {
    assert.equal(table.rows.find((r) => r.method === method)!.test!.loss, minLoss);
  }
  for (const method of table.bestTest.accuracy!) {
    assert.equal(table.rows.find((r) => r.method === method)!.test!.metrics.accuracy, maxAcc);
  }
});

test('methods that tie on test are all best, whichever sorts first', () => {
  // Catches "first row with the best value wins" (BOMF bold alone, as it sorts first). On the
  // engine's own log every method at the best value is named (a tie there or not) ...
  const table = resultsTable(foldAll(events));
  const rows = table.rows.filter((r) => r.test);
  const minLoss = Math.min(...rows.map((r) => r.test!.loss));
  const tiedOnLoss = rows.filter((r) => r.test!.loss === minLoss).map((r) => r.method);
  assert.deepEqual(table.bestTest.loss, tiedOnLoss);

  // ... and on a log made to tie, all the tied methods are.

  const tie = (name: string, accuracy: number) => ({
    type: 'baseline',
    name,
    weights: [1],
    validation: { loss: 1, metrics: { accuracy } },
    test: { loss: 1, metrics: { accuracy } },
  });
  const synthetic = resultsTable(
    foldAll(
      sequence([tie('bomf', 0.8), tie('swa', 0.8), tie('last', 0.7), tie('greedy-soup', 0.8)]),
    ),
  );
  assert.deepEqual(synthetic.bestTest.accuracy, ['bomf', 'swa', 'greedy-soup']);
  assert.deepEqual(synthetic.bestTest.loss, ['bomf', 'swa', 'last', 'greedy-soup']);
});

test('between the selection and the baselines stage, BOMF comes from the selection', () => {
  const firstBaseline = events.findIndex((e) => e.type === 'baseline');
  const table = resultsTable(foldAll(events.slice(0, firstBaseline)));
  assert.equal(table.rows.length, 1);
  assert.equal(table.rows[0]!.method, 'bomf');
  assert.deepEqual(table.rows[0]!.test, selection.test);
});

test('stage summaries count the work done against the planned totals', () => {
  const summaries = stageSummaries(foldAll(events));
  const started = events.filter((e): e is StageStartEvent => e.type === 'stage-start');
  const ended = events.filter((e): e is StageEndEvent => e.type === 'stage-end');
  const done = {
    search: events.filter((e) => e.type === 'trial-end').length,
    // The engine plans stage 2 in checkpoints and stage 3 in searched models (members are free).
    train: events.filter((e) => e.type === 'checkpoint').length,
    fusion: events.filter((e) => e.type === 'fusion-eval' && isSearchEvaluation(e)).length,
    baselines: new Set(baselines.map((b) => b.name)).size,
  };
  for (const s of summaries) {
    assert.equal(s.total, started.find((e) => e.stage === s.stage)?.total ?? 0, s.stage);
    assert.equal(s.status, ended.find((e) => e.stage === s.stage)?.status ?? 'pending', s.stage);
    assert.equal(s.done, done[s.stage], s.stage);
  }
});

test('a stage that started and has not ended is running; later ones are pending', () => {
  const firstStart = events.findIndex((e) => e.type === 'stage-start');
  const early = stageSummaries(foldAll(events.slice(0, firstStart + 1)));
  assert.deepEqual(
    early.map((s) => s.status),
    ['running', 'pending', 'pending', 'pending'],
  );
});

// Catches a best-on-test that names only the first of equal values (a tie shown as a win).
test('equal best test values are a tie: every method at that value is named', () => {
  const best = Math.max(...baselines.filter((b) => b.test).map((b) => b.test!.metrics.accuracy!));
  const [first, second] = baselines.filter((b) => b.test);
  const tied = events.map((e) =>
    e.type === 'baseline' && (e === first || e === second)
      ? { ...e, test: { ...e.test!, metrics: { ...e.test!.metrics, accuracy: best } } }
      : e,
  );
  const table = resultsTable(foldAll(tied));
  assert.ok(table.bestTest.accuracy!.includes(first!.name));
  assert.ok(table.bestTest.accuracy!.includes(second!.name));
});
