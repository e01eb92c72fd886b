/**
 * The study's context row: TF-IDF (word 1–2-grams) + a linear model trained on
 * a cell's training split, its regularization chosen on the cell's validation
 * split, scored on the cell's test split. Classification uses multinomial
 * logistic regression, regression (STS-B) ridge regression.
 */
import type { Evaluation } from '../../../src/contract/events';
import type { Dataset, Example } from '../../../src/train/data';
import { computeMetrics, type MetricName, taskLoss } from '../../../src/train/metrics';
import { fitLogistic, fitRidge, type LinearModel } from './linear-model';
import { pairRow, type SparseRow, TfidfVectorizer } from './tfidf';

/** Inverse regularization strengths tried (ridge uses α = 1/C). */
const STRENGTHS = [0.25, 1, 4, 16];

export interface TfidfResult {
  model: 'tfidf-logistic' | 'tfidf-ridge';
  /** The C chosen on validation. */
  c: number;
  features: number;
  validation: Evaluation;
  test: Evaluation;
  seconds: number;
}

interface Featurizer {
  dims: number;
  featurize(examples: readonly Example[]): SparseRow[];
}

function featurizer(train: readonly Example[]): Featurizer {
  const pairs = train.some((e) => e.pair !== undefined);
  const vec = new TfidfVectorizer().fit(
    pairs ? train.flatMap((e) => [e.text, e.pair ?? '']) : train.map((e) => e.text),
  );
  if (!pairs) return { dims: vec.size, featurize: (ex) => vec.transform(ex.map((e) => e.text)) };
  return {
    dims: 2 * vec.size + 1,
    featurize: (examples) => {
      const a = vec.transform(examples.map((e) => e.text));
      const b = vec.transform(examples.map((e) => e.pair ?? ''));
      return a.map((row, i) => pairRow(row, b[i]!, vec.size));
    },
  };
}

function evaluation(
  model: LinearModel,
  rows: SparseRow[],
  examples: readonly Example[],
  task: Dataset['task'],
  metrics: MetricName[],
): Evaluation {
  const outputs = model.predict(rows);
  const labels = examples.map((e) => e.label);
  return {
    loss: taskLoss(task, outputs, labels),
    metrics: computeMetrics(metrics, task, outputs, labels),
  };
}

/** Fits on `data.train`, picks C by the primary (first) metric on validation, reports test. */
export function tfidfBaseline(data: Dataset, metrics: MetricName[]): TfidfResult {
  const t0 = Date.now();
  const { dims, featurize } = featurizer(data.train);
  const [xTrain, xVal, xTest] = [data.train, data.validation, data.test].map((split) =>
    featurize(split),
  ) as [SparseRow[], SparseRow[], SparseRow[]];
  const labels = data.train.map((e) => e.label);
  const classes = data.labelNames?.length ?? 1;
  // 200 L-BFGS iterations: enough for the test metric, and pair tasks have ~10⁵ weights.
  const fit = (c: number): LinearModel =>
    data.task === 'regression'
      ? fitRidge(xTrain, labels, dims, 1 / c, { maxIterations: 200 })
      : fitLogistic(xTrain, labels, classes, dims, c, { maxIterations: 200 });
  const primary = metrics[0]!;
  let best: { c: number; model: LinearModel; validation: Evaluation } | undefined;
  for (const c of STRENGTHS) {
    const model = fit(c);
    const validation = evaluation(model, xVal, data.validation, data.task, metrics);
    const v = validation.metrics[primary]!;
    const incumbent = best?.validation.metrics[primary];
    // A NaN metric (constant predictions) never beats a defined one.
    if (!best || (Number.isFinite(v) && !(v <= incumbent!))) {
      best = { c, model, validation };
    }
  }
  return {
    model: data.task === 'regression' ? 'tfidf-ridge' : 'tfidf-logistic',
    c: best!.c,
    features: dims,
    validation: best!.validation,
    test: evaluation(best!.model, xTest, data.test, data.task, metrics),
    seconds: (Date.now() - t0) / 1000,
  };
}
