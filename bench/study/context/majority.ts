/**
 * The floor a classifier must clear: predict the training split's most frequent
 * class for every test example. A fine-tuned model scoring at this level has
 * learned nothing the class prior does not give (an MCC of 0; for MRPC an F1 of
 * about 0.81, which predicting "paraphrase" everywhere gets). Regression has no
 * such row (a constant prediction has no correlation).
 */
import type { Dataset } from '../../../src/train/data';
import { METRIC_NAMES, type MetricName, metricFromPredictions } from '../../../src/train/metrics';

/** Test metrics of the majority-class prediction, or undefined for regression. */
export function majorityClass(
  data: Dataset,
  metrics: readonly string[],
): Record<string, number> | undefined {
  if (data.task !== 'classification' || data.train.length === 0) return undefined;
  const counts = new Map<number, number>();
  for (const e of data.train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  // Ties go to the smaller label id, so the row does not depend on the order of the file.
  const [label] = [...counts].reduce((a, b) =>
    b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a,
  );
  const labels = data.test.map((e) => e.label);
  const predictions = labels.map(() => label);
  return Object.fromEntries(
    metrics
      .filter((m): m is MetricName => (METRIC_NAMES as readonly string[]).includes(m))
      .map((m) => [m, metricFromPredictions(m, predictions, labels)]),
  );
}
