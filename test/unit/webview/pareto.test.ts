import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  BaselineEvent,
  FusionEvalEvent,
  ParetoUpdateEvent,
  SelectionEvent,
} from '../../../src/contract/fusion-events';
import {
  defaultAxes,
  dimensionValue,
  type ParetoPoint,
  paretoDimensions,
  paretoSeries,
} from '../../../src/webview/model/pareto';
import { fixtureEvents, foldAll, sequence } from './fixture';

const events = fixtureEvents();
const evals = events.filter((e): e is FusionEvalEvent => e.type === 'fusion-eval');

const updates = events.filter((e): e is ParetoUpdateEvent => e.type === 'pareto-update');
const selection = events.find((e): e is SelectionEvent => e.type === 'selection');
const baselines = events.filter((e): e is BaselineEvent => e.type === 'baseline');
const metricNames = Object.keys(evals[0]!.validation.metrics).sort();

test('the axes offered are the validation loss and each validation metric', () => {
  const dims = paretoDimensions(foldAll(events));
  assert.deepEqual(
    dims.map((d) => [d.key, d.maximize]),
    [['loss', false], ...metricNames.map((m) => [`metric:${m}`, true])],
  );
  const [x, y] = defaultAxes(dims);
  assert.equal(x.key, 'loss');
  assert.equal(y.key, `metric:${metricNames[0]}`);
});

test('every fusion evaluation is a point at its validation loss and metric', () => {
  const run = foldAll(events);
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  assert.equal(s.points.length, evals.length);
  for (const e of evals) {
    const p = s.points.find((q) => q.index === e.index)!;
    assert.equal(p.x, e.validation.loss);
    assert.equal(p.y, e.validation.metrics[metricNames[0]!]);
    assert.deepEqual(p.weights, e.weights);
  }
});

test('the front is the last pareto-update, connected in order of the x axis', () => {
  const run = foldAll(events);
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  const front = [...updates.at(-1)!.front].sort((a, b) => a - b);
  assert.deepEqual(
    s.points.filter((p) => p.onFront).map((p) => p.index),
    front,
  );
  // Reference: front members that no other member beats in (lower loss, higher metric).
  const members = s.points.filter((p) => p.onFront);
  const beats = (a: ParetoPoint, b: ParetoPoint) =>
    a.x <= b.x && a.y >= b.y && (a.x < b.x || a.y > b.y);
  const expected = members
    .filter((p) => !members.some((q) => beats(q, p)))
    .sort((a, b) => a.x - b.x)
    .map((p) => p.index);
  assert.deepEqual(
    s.frontLine.map((p) => p.index),
    expected,
  );
  assert.ok(expected.length >= 2, 'the fixture front has a line to draw');
});

test('with two objectives the whole front is joined, in increasing loss', () => {
  const ev = (index: number, loss: number, accuracy: number) => ({
    type: 'fusion-eval',
    index,
    source: 'bo',
    x: [0.5],
    weights: [0.5, 0.5],
    validation: { loss, metrics: { accuracy } },
    objectives: [-loss, accuracy],
  });
  const run = foldAll(
    sequence([
      ev(0, 0.3, 0.8),
      ev(1, 0.25, 0.7),
      ev(2, 0.4, 0.9),
      ev(3, 0.35, 0.75),
      { type: 'pareto-update', front: [2, 0, 1], hypervolume: 0.1, evaluations: 4 },
    ]),
  );
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  assert.deepEqual(
    s.frontLine.map((p) => p.index),
    [1, 0, 2],
  );
  assert.equal(s.points.find((p) => p.index === 3)!.onFront, false);
});

test('the chosen fused model is the selection index, and baselines are plotted without bomf', () => {
  const run = foldAll(events);
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  assert.equal(s.chosen?.index, selection?.index);
  const others = baselines.filter((b) => b.name !== 'bomf');
  assert.deepEqual(
    s.baselines.map((b) => [b.name, b.x, b.y]),
    others.map((b) => [b.name, b.validation.loss, b.validation.metrics[metricNames[0]!]]),
  );
});

test('before any pareto-update nothing is on the front and there is no chosen point', () => {
  const firstUpdate = events.findIndex((e) => e.type === 'pareto-update');
  const run = foldAll(events.slice(0, firstUpdate));
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  // The engine enters every checkpoint (a member) before its first pareto-update.
  assert.equal(s.points.length, run.fusionEvals.size);
  assert.ok(s.points.length > 1);
  assert.deepEqual(s.frontLine, []);
  assert.equal(s.chosen, undefined);
});

test('with three objectives, the line joins only the front members undominated in the chosen pair', () => {
  const ev = (index: number, loss: number, acc: number, f1: number) => ({
    type: 'fusion-eval',
    index,
    source: 'bo',
    x: [0.5],
    weights: [0.5, 0.5],
    validation: { loss, metrics: { accuracy: acc, f1 } },
    objectives: [-loss, acc, f1],
  });
  const run = foldAll(
    sequence([
      ev(0, 0.3, 0.8, 0.7),
      ev(1, 0.4, 0.9, 0.6),
      // On the 3-D front thanks to f1, but dominated by 0 in (loss, accuracy).
      ev(2, 0.35, 0.75, 0.9),
      ev(3, 0.5, 0.7, 0.5),
      { type: 'pareto-update', front: [0, 1, 2], hypervolume: 0.1, evaluations: 4 },
    ]),
  );
  const dims = paretoDimensions(run);
  const loss = dims[0]!;
  const acc = dims[1]!;
  const f1 = dims[2]!;
  const lossAcc = paretoSeries(run, loss, acc);
  assert.deepEqual(
    lossAcc.frontLine.map((p) => p.index),
    [0, 1],
  );
  assert.equal(lossAcc.points.filter((p) => p.onFront).length, 3);
  // In (accuracy, f1), both maximized, all three are mutually non-dominated; sorted by accuracy.
  const accF1 = paretoSeries(run, acc, f1);
  assert.deepEqual(
    accF1.frontLine.map((p) => p.index),
    [2, 0, 1],
  );
  assert.equal(dimensionValue(run.fusionEvals.get(2)!.validation, f1), 0.9);
});
