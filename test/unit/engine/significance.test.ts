import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Evaluation } from '../../../src/contract/events';
import {
  binomialTwoSided,
  compareOnTest,
  mcnemarExact,
} from '../../../src/engine/report/significance';

/** A test evaluation on n examples (labels alternate) where the listed examples are wrong. */
function model(n: number, wrong: Set<number>): Evaluation {
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const predictions = labels.map((l, i) => (wrong.has(i) ? 1 - l : l));
  const losses = labels.map((_, i) => (wrong.has(i) ? 1.5 : 0.2));
  const accuracy = 1 - wrong.size / n;
  return {
    loss: losses.reduce((s, v) => s + v, 0) / n,
    metrics: { accuracy },
    examples: { predictions, labels, losses },
  };
}

const range = (a: number, b: number) => new Set(Array.from({ length: b - a }, (_, i) => a + i));

describe('McNemar exact test', () => {
  // Hand-computed: 2·(1/2)^6 = 0.03125; 2·(1 + 12 + 66)/4096 = 0.03857; a 1–1 split is p = 1.
  // Catches a one-sided p, a missing factor 2, or a tail summed on the wrong side.
  test('two-sided exact binomial p-values', () => {
    assert.ok(Math.abs(binomialTwoSided(0, 6) - 0.03125) < 1e-15);
    assert.ok(Math.abs(binomialTwoSided(2, 12) - 158 / 4096) < 1e-12);
    assert.ok(Math.abs(binomialTwoSided(10, 12) - 158 / 4096) < 1e-12);
    assert.equal(binomialTwoSided(1, 2), 1);
    assert.equal(binomialTwoSided(0, 0), 1);
  });

  // Catches counting concordant examples, or swapping which model is right.
  test('counts only the discordant examples, each way', () => {
    const a = model(10, new Set([0, 1]));
    const b = model(10, new Set([1, 2, 3]));
    assert.deepEqual(
      { ...mcnemarExact(a.examples!, b.examples!), p: undefined },
      { bomfOnly: 2, baselineOnly: 1, p: undefined },
    );
  });
});

describe('BOMF against a baseline on test', () => {
  // Catches a verdict read from the point estimate instead of the interval (a 1-example gap
  // on 200 is noise), a flipped sign (who wins), and unpaired resampling.
  test('a clear win, a clear loss, noise, and identical predictions', () => {
    const n = 400;
    const strong = model(n, range(0, 40));
    const weak = model(n, range(0, 100));
    const win = compareOnTest('swa', strong, weak, 'accuracy')!;
    assert.equal(win.verdict, 'bomf-better');
    assert.ok(Math.abs(win.metricDifference.difference - 0.15) < 1e-12);
    assert.ok(win.metricDifference.low > 0 && win.metricDifference.high >= 0.15);
    assert.ok(win.lossDifference.high < 0, 'BOMF has the lower loss');
    assert.ok(win.mcnemar!.p < 1e-6);
    assert.match(win.summary, /^BOMF beats swa/);

    const loss = compareOnTest('greedy-soup', weak, strong, 'accuracy')!;
    assert.equal(loss.verdict, 'baseline-better');
    assert.match(loss.summary, /^greedy-soup beats BOMF/);

    const close = compareOnTest(
      'last',
      model(n, range(0, 41)),
      model(n, range(1, 41)),
      'accuracy',
    )!;
    assert.equal(close.verdict, 'noise');
    assert.ok(close.metricDifference.low <= 0 && close.metricDifference.high >= 0);

    assert.equal(
      compareOnTest('last', strong, model(n, range(0, 40)), 'accuracy')!.verdict,
      'identical',
    );
  });

  test('is undefined without per-example results (older runs) or for mismatched splits', () => {
    const a = model(10, new Set([1]));
    assert.equal(
      compareOnTest('swa', a, { loss: 1, metrics: { accuracy: 0.5 } }, 'accuracy'),
      undefined,
    );
    assert.equal(compareOnTest('swa', a, model(12, new Set()), 'accuracy'), undefined);
  });
});
