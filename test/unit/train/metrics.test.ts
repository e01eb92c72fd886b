// Metrics and losses against scikit-learn / scipy (test/fixtures/metrics/generate.py) and small
// hand-computed cases.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  averageRanks,
  computeMetrics,
  type MetricName,
  matthews,
  spearman,
  taskLoss,
} from '../../../src/train/metrics';

interface Case {
  name: string;
  task: 'classification' | 'regression';
  outputs: number[][];
  labels: number[];
  expected: Record<string, number | null>;
}
const cases: Case[] = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '..', '..', 'fixtures', 'metrics', 'reference.json'),
    'utf8',
  ),
);
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe('against scikit-learn / scipy', () => {
  for (const c of cases) {
    test(c.name, () => {
      const names = Object.keys(c.expected).filter(
        (k) => k !== 'loss' && c.expected[k] !== null,
      ) as MetricName[];
      const got = computeMetrics(names, c.task, c.outputs, c.labels);
      for (const name of names) close(got[name], c.expected[name]!, name);
      close(taskLoss(c.task, c.outputs, c.labels), c.expected.loss!, 'loss');
      // The flat Float32Array form gives the same numbers (to float32 precision of the inputs).
      const flat = Float32Array.from(c.outputs.flat());
      const fromFlat = computeMetrics(names, c.task, flat, c.labels);
      for (const name of names)
        assert.ok(Math.abs(fromFlat[name] - c.expected[name]!) < 1e-4, name);
    });
  }
});

describe('hand-computed', () => {
  test('binary confusion TP=2 FP=1 FN=1 TN=4', () => {
    // predictions via logits; labels: positives at 0,1,2; predicted positive at 0,1,3.
    const labels = [1, 1, 1, 0, 0, 0, 0, 0];
    const predicted = [1, 1, 0, 1, 0, 0, 0, 0];
    const logits = predicted.map((p) => (p ? [0, 1] : [1, 0]));
    const m = computeMetrics(
      ['accuracy', 'f1', 'mcc', 'macro-f1'],
      'classification',
      logits,
      labels,
    );
    close(m.accuracy, 6 / 8, 'accuracy');
    close(m.f1, (2 * 2) / (2 * 2 + 1 + 1), 'f1'); // precision 2/3, recall 2/3
    close(m.mcc, (2 * 4 - 1 * 1) / Math.sqrt(3 * 3 * 5 * 5), 'mcc'); // (TP·TN − FP·FN)/√(…)
    close(m['macro-f1'], (2 / 3 + 8 / 10) / 2, 'macro-f1'); // class 0: 2·4/(2·4+1+1)
  });

  test('average ranks with ties and Spearman of a monotone map', () => {
    assert.deepEqual(averageRanks([10, 20, 20, 5, 20]), [2, 4, 4, 1, 4]);
    close(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1, 'monotone');
    close(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1, 'reversed');
  });

  test('cross-entropy is stable for huge logits; MSE', () => {
    close(taskLoss('classification', [[1000, 0]], [1]), 1000, 'ce');
    close(taskLoss('classification', [[0, 0, 0, 0]], [2]), Math.log(4), 'uniform');
    close(taskLoss('regression', [[1], [3]], [2, 2]), 1, 'mse');
  });

  test('degenerate cases: MCC 0 when undefined, correlations NaN for constants', () => {
    assert.equal(matthews([0, 0, 0], [0, 1, 0]), 0);
    assert.ok(
      Number.isNaN(computeMetrics(['pearson'], 'regression', [[1], [1], [1]], [1, 2, 3]).pearson),
    );
  });

  test('misuse is refused', () => {
    assert.throws(
      () => computeMetrics(['pearson'], 'classification', [[0, 1]], [1]),
      /does not apply/,
    );
    assert.throws(
      () => computeMetrics(['accuracy'], 'classification', new Float32Array(5), [0, 1]),
      /do not split/,
    );
    assert.throws(
      () => computeMetrics(['pearson'], 'regression', [[1, 2]], [1]),
      /one score per example/,
    );
  });
});
