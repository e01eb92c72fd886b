import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FusionEvalEvent } from '../../../src/engine/events';
import {
  defaultAxes,
  dimensionValue,
  paretoDimensions,
  paretoSeries,
} from '../../../src/webview/model/pareto';
import { fixtureEvents, foldAll, sequence } from './fixture';

const events = fixtureEvents();
const evals = events.filter((e): e is FusionEvalEvent => e.type === 'fusion-eval');

test('the axes offered are the validation loss and each validation metric', () => {
  const dims = paretoDimensions(foldAll(events));
  assert.deepEqual(
    dims.map((d) => [d.key, d.maximize]),
    [
      ['loss', false],
      ['metric:accuracy', true],
      ['metric:f1', true],
    ],
  );
  const [x, y] = defaultAxes(dims);
  assert.equal(x.key, 'loss');
  assert.equal(y.key, 'metric:accuracy');
});

test('every fusion evaluation is a point at its validation loss and metric', () => {
  const run = foldAll(events);
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  assert.equal(s.points.length, evals.length);
  for (const e of evals) {
    const p = s.points.find((q) => q.index === e.index)!;
    assert.equal(p.x, e.validation.loss);
    assert.equal(p.y, e.validation.metrics.accuracy);
    assert.deepEqual(p.weights, e.weights);
  }
});

test('the front is the last pareto-update, connected in order of the x axis', () => {
  const run = foldAll(events);
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  // Final front of the fixture: evaluations 4, 6, 7; by validation loss 6 (.392) < 4 (.395) < 7 (.396).
  assert.deepEqual(
    s.points.filter((p) => p.onFront).map((p) => p.index),
    [4, 6, 7],
  );
  assert.deepEqual(
    s.frontLine.map((p) => p.index),
    [6, 4, 7],
  );
  for (let i = 1; i < s.frontLine.length; i++) {
    assert.ok(s.frontLine[i]!.x >= s.frontLine[i - 1]!.x);
  }
});

test('the chosen fused model is the selection index, and baselines are plotted without bomf', () => {
  const run = foldAll(events);
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  assert.equal(s.chosen?.index, 7);
  assert.deepEqual(
    s.baselines.map((b) => b.name),
    ['best-single', 'last', 'swa', 'greedy-soup', 'sobo-metric'],
  );
  const swa = s.baselines.find((b) => b.name === 'swa')!;
  assert.deepEqual([swa.x, swa.y], [0.412, 0.842]);
});

test('before any pareto-update nothing is on the front and there is no chosen point', () => {
  const firstUpdate = events.findIndex((e) => e.type === 'pareto-update');
  const run = foldAll(events.slice(0, firstUpdate));
  const [x, y] = defaultAxes(paretoDimensions(run));
  const s = paretoSeries(run, x, y);
  assert.equal(s.points.length, 1);
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
