/**
 * Task metrics and losses over a whole evaluation set (never averaged per batch).
 * Classification outputs are logits [N, C]; regression outputs are scores [N] (or [N, 1]).
 */

export type MetricName = 'accuracy' | 'f1' | 'macro-f1' | 'mcc' | 'pearson' | 'spearman';
export type TaskKind = 'classification' | 'regression';

export const METRIC_NAMES: readonly MetricName[] = [
  'accuracy',
  'f1',
  'macro-f1',
  'mcc',
  'pearson',
  'spearman',
];
const CLASSIFICATION_METRICS = new Set<MetricName>(['accuracy', 'f1', 'macro-f1', 'mcc']);

/** Model outputs: row-major Float32Array [N·C] or rows. */
export type Outputs = Float32Array | number[][];

/** Splits outputs into N rows of width outputs/N. */
export function outputRows(outputs: Outputs, n: number): number[][] {
  if (Array.isArray(outputs)) {
    if (outputs.length !== n) throw new Error(`${outputs.length} output rows for ${n} labels`);
    return outputs;
  }
  if (n === 0 || outputs.length % n !== 0)
    throw new Error(`${outputs.length} outputs do not split into ${n} rows`);
  const width = outputs.length / n;
  return Array.from({ length: n }, (_, i) =>
    Array.from(outputs.subarray(i * width, (i + 1) * width)),
  );
}

/**
 * Computes the named metrics. Classification predictions are the argmax of each logit row; F1 is
 * binary with class 1 positive; macro-F1 averages over the classes seen in labels or predictions
 * (as scikit-learn). Correlations are NaN when either side is constant.
 */
export function computeMetrics(
  names: readonly MetricName[],
  task: TaskKind,
  outputs: Outputs,
  labels: readonly number[],
): Record<string, number> {
  const rows = outputRows(outputs, labels.length);
  const result: Record<string, number> = {};
  for (const name of names) {
    if ((task === 'classification') !== CLASSIFICATION_METRICS.has(name)) {
      throw new Error(`metric '${name}' does not apply to a ${task} task`);
    }
  }
  if (task === 'classification') {
    const predictions = rows.map(argmax);
    const fns: Record<string, () => number> = {
      accuracy: () => accuracy(predictions, labels),
      f1: () => binaryF1(predictions, labels),
      'macro-f1': () => macroF1(predictions, labels),
      mcc: () => matthews(predictions, labels),
    };
    for (const name of names) result[name] = fns[name]();
  } else {
    const scores = rows.map((r) => {
      if (r.length !== 1)
        throw new Error(`regression expects one score per example, got ${r.length}`);
      return r[0];
    });
    for (const name of names)
      result[name] = name === 'pearson' ? pearson(scores, labels) : spearman(scores, labels);
  }
  return result;
}

/** Mean loss of the task: cross-entropy from logits (classification) or MSE (regression). */
export function taskLoss(task: TaskKind, outputs: Outputs, labels: readonly number[]): number {
  const rows = outputRows(outputs, labels.length);
  return task === 'classification'
    ? crossEntropy(rows, labels)
    : meanSquaredError(
        rows.map((r) => r[0]),
        labels,
      );
}

/**
 * Per-example predictions (the class for classification, the score for regression) and losses
 * (cross-entropy from logits, or squared error); the losses average to {@link taskLoss}.
 */
export function perExampleResults(
  task: TaskKind,
  outputs: Outputs,
  labels: readonly number[],
): { predictions: number[]; losses: number[] } {
  const rows = outputRows(outputs, labels.length);
  if (task === 'regression') {
    const predictions = rows.map((r) => r[0]);
    return { predictions, losses: predictions.map((p, i) => (p - labels[i]) ** 2) };
  }
  return {
    predictions: rows.map(argmax),
    losses: rows.map((row, i) => crossEntropy([row], [labels[i]])),
  };
}

/** A named metric from per-example predictions (classes or scores) and labels. */
export function metricFromPredictions(
  name: MetricName,
  predictions: readonly number[],
  labels: readonly number[],
): number {
  switch (name) {
    case 'accuracy':
      return accuracy(predictions, labels);
    case 'f1':
      return binaryF1(predictions, labels);
    case 'macro-f1':
      return macroF1(predictions, labels);
    case 'mcc':
      return matthews(predictions, labels);
    case 'pearson':
      return pearson(predictions, labels);
    case 'spearman':
      return spearman(predictions, labels);
  }
}

export function argmax(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

export function accuracy(predictions: readonly number[], labels: readonly number[]): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) hits++;
  return hits / labels.length;
}

/** F1 of one class: 2TP / (2TP + FP + FN), 0 when that class never occurs nor is predicted. */
function classF1(
  predictions: readonly number[],
  labels: readonly number[],
  positive: number,
): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = predictions[i] === positive;
    const t = labels[i] === positive;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

export function binaryF1(predictions: readonly number[], labels: readonly number[]): number {
  return classF1(predictions, labels, 1);
}

export function macroF1(predictions: readonly number[], labels: readonly number[]): number {
  const classes = [...new Set([...labels, ...predictions])];
  return classes.reduce((sum, c) => sum + classF1(predictions, labels, c), 0) / classes.length;
}

/** Matthews correlation, multiclass form (Gorodkin's R_K); 0 when undefined. */
export function matthews(predictions: readonly number[], labels: readonly number[]): number {
  const n = labels.length;
  const trueCounts = new Map<number, number>();
  const predCounts = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    trueCounts.set(labels[i], (trueCounts.get(labels[i]) ?? 0) + 1);
    predCounts.set(predictions[i], (predCounts.get(predictions[i]) ?? 0) + 1);
    if (predictions[i] === labels[i]) correct++;
  }
  let cross = 0;
  for (const [k, t] of trueCounts) cross += t * (predCounts.get(k) ?? 0);
  const sumSq = (m: Map<number, number>) => [...m.values()].reduce((s, v) => s + v * v, 0);
  const denominator = Math.sqrt((n * n - sumSq(predCounts)) * (n * n - sumSq(trueCounts)));
  return denominator === 0 ? 0 : (correct * n - cross) / denominator;
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Ranks 1..n; tied values share the average of their ranks. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/** Mean cross-entropy from logits, via a max-shifted log-sum-exp (stable for large logits). */
export function crossEntropy(
  logits: readonly (readonly number[])[],
  labels: readonly number[],
): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = logits[i];
    const max = Math.max(...row);
    const logSumExp = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    total += logSumExp - row[labels[i]];
  }
  return total / labels.length;
}

export function meanSquaredError(
  predictions: readonly number[],
  targets: readonly number[],
): number {
  let total = 0;
  for (let i = 0; i < targets.length; i++) total += (predictions[i] - targets[i]) ** 2;
  return total / targets.length;
}
