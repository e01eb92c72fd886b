import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BaselineEvent, ParetoUpdateEvent, SelectionEvent } from '../../../src/engine/events';
import { chosenWeights, hypervolumeSeries } from '../../../src/webview/model/fusion';
import { resultsTable } from '../../../src/webview/model/results';
import { stageSummaries } from '../../../src/webview/model/summary';
import { fixtureEvents, foldAll } from './fixture';

const events = fixtureEvents();
const selection = events.find((e): e is SelectionEvent => e.type === 'selection')!;

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
  assert.equal(w.labels.length, 5);
  assert.equal(w.labels[0], 'ckpt 0 · step 120');
  assert.equal(w.labels[4], 'ckpt 4 · step 200');
  const sum = w.chosen.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9, 'weights on the simplex');
});

test('before the selection there are checkpoint labels but no weights', () => {
  const upTo = events.findIndex((e) => e.type === 'selection');
  const w = chosenWeights(foldAll(events.slice(0, upTo)));
  assert.deepEqual(w.chosen, []);
  assert.equal(w.labels.length, 5);
});

test('the results table lists BOMF first, then each baseline in reported order', () => {
  const table = resultsTable(foldAll(events));
  const baselines = events.filter((e): e is BaselineEvent => e.type === 'baseline');
  assert.deepEqual(
    table.rows.map((r) => r.method),
    ['bomf', ...baselines.map((b) => b.name).filter((n) => n !== 'bomf')],
  );
  assert.deepEqual(table.metricNames, ['accuracy', 'f1']);
  for (const row of table.rows) {
    const source = baselines.find((b) => b.name === row.method)!;
    assert.deepEqual(row.validation, source.validation);
    assert.deepEqual(row.test, source.test);
  }
  assert.equal(table.rows.find((r) => r.method === 'greedy-soup')!.notes.length, 5);
});

test('the best test value per column is found by direction: lowest loss, highest metrics', () => {
  const table = resultsTable(foldAll(events));
  const rows = table.rows.filter((r) => r.test);
  const minLoss = Math.min(...rows.map((r) => r.test!.loss));
  const maxAcc = Math.max(...rows.map((r) => r.test!.metrics.accuracy!));
  assert.equal(table.rows.find((r) => r.method === table.bestTest.loss)!.test!.loss, minLoss);
  assert.equal(
    table.rows.find((r) => r.method === table.bestTest.accuracy)!.test!.metrics.accuracy,
    maxAcc,
  );
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
  assert.deepEqual(
    summaries.map((s) => [s.stage, s.status, s.done, s.total]),
    [
      ['search', 'done', 2, 2],
      ['train', 'done', 200, 200],
      ['fusion', 'done', 10, 10],
      ['baselines', 'done', 6, 6],
    ],
  );
  const early = stageSummaries(foldAll(events.slice(0, 3)));
  assert.deepEqual(
    early.map((s) => s.status),
    ['running', 'pending', 'pending', 'pending'],
  );
});
