import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Candidate,
  metricStandardError,
  selectFromFront,
} from '../../../src/engine/pipeline/selection';

const point = (index: number, accuracy: number, loss: number): Candidate => ({
  index,
  validation: { loss, metrics: { accuracy } },
  objectives: [accuracy, -loss],
});

// Front: A (0.80, loss 0.50), B (0.79, 0.40), C (0.70, 0.30).
const front = [point(0, 0.8, 0.5), point(1, 0.79, 0.4), point(2, 0.7, 0.3)];

// On 200 validation examples the SE at 0.80 is √(0.8·0.2/200) = 0.0283: A and B are within it,
// B has the lower loss. On 10,000 examples the SE is 0.004: only A. Catches an SE that ignores
// the validation size, a window on the wrong side of the best, and picking the lowest loss
// of the whole front (C).
test('one-se: the lowest loss among front points within one standard error of the best metric', () => {
  assert.equal(selectFromFront('one-se', front, 'accuracy', 200).index, 1);
  assert.equal(selectFromFront('one-se', front, 'accuracy', 10_000).index, 0);
  assert.equal(selectFromFront('best-metric', front, 'accuracy', 200).index, 0);
  assert.equal(selectFromFront('min-loss', front, 'accuracy').index, 2);
});

test('standard errors: binomial for proportions, (1 − m²)/√(n − 1) for correlations', () => {
  assert.ok(Math.abs(metricStandardError('accuracy', 0.8, 200) - Math.sqrt(0.16 / 200)) < 1e-15);
  assert.ok(Math.abs(metricStandardError('mcc', 0.5, 101) - 0.075) < 1e-15);
  assert.equal(metricStandardError('accuracy', 0.8, 0), 0);
});
