/**
 * Is BOMF's test result different from a baseline's, or is the gap inside the noise of a small
 * test split? Paired over the test examples (both models saw the same ones):
 * - the difference BOMF − baseline of the primary metric and of the loss, with a 95% percentile
 *   interval from a paired bootstrap (resample examples with replacement, recompute both models'
 *   metric on the same resample; Efron & Tibshirani 1993, ch. 13);
 * - for accuracy, McNemar's exact test on the discordant examples (one model right, the other
 *   wrong): two-sided p = min(1, 2·P(X ≤ min(b, c))), X ~ Binomial(b + c, ½).
 * The verdict reads the metric's interval: above 0, BOMF is better; below 0, the baseline is; an
 * interval holding 0 is noise. Identical predictions are reported as such.
 */
import { Random } from '../../bo/random';
import type { Evaluation, PerExampleResults } from '../../contract/events';
import type { Verdict } from '../../contract/experiments-protocol';
import type { BaselineName } from '../../contract/fusion-events';
import { METRIC_NAMES, type MetricName, metricFromPredictions } from '../../train/metrics';

export type { Verdict };

export interface Interval {
  /** BOMF − baseline on the full test split. */
  difference: number;
  /** 95% paired-bootstrap percentile interval of the difference. */
  low: number;
  high: number;
}

export interface TestComparison {
  baseline: BaselineName;
  metric: string;
  /** Metric difference (higher is better, so > 0 favours BOMF). */
  metricDifference: Interval;
  /** Loss difference (lower is better, so < 0 favours BOMF). */
  lossDifference: Interval;
  /** Accuracy only: exact McNemar p-value and the discordant counts. */
  mcnemar?: { p: number; bomfOnly: number; baselineOnly: number };
  verdict: Verdict;
  /** One sentence for a reader. */
  summary: string;
}

const RESAMPLES = 2000;

/**
 * Compares BOMF with one baseline on test, or undefined when either lacks per-example results
 * (a run from before they were recorded) or the examples do not line up.
 */
export function compareOnTest(
  baseline: BaselineName,
  bomf: Evaluation | undefined,
  other: Evaluation | undefined,
  metric: string,
  seed = 0,
): TestComparison | undefined {
  const a = bomf?.examples;
  const b = other?.examples;
  if (!a || !b || a.labels.length !== b.labels.length || a.labels.length === 0) return undefined;
  if (!a.labels.every((l, i) => l === b.labels[i])) return undefined;
  if (!(METRIC_NAMES as readonly string[]).includes(metric)) return undefined;
  const name = metric as MetricName;
  const n = a.labels.length;
  const metricOf = (r: PerExampleResults, idx: Int32Array | undefined) =>
    idx
      ? metricFromPredictions(
          name,
          Array.from(idx, (i) => r.predictions[i]!),
          Array.from(idx, (i) => r.labels[i]!),
        )
      : metricFromPredictions(name, r.predictions, r.labels);
  const lossOf = (r: PerExampleResults, idx: Int32Array | undefined) => {
    let s = 0;
    if (!idx) for (const v of r.losses) s += v;
    else for (const i of idx) s += r.losses[i]!;
    return s / n;
  };
  const rng = new Random(seed);
  const metricDiffs: number[] = [];
  const lossDiffs: number[] = [];
  const idx = new Int32Array(n);
  for (let t = 0; t < RESAMPLES; t++) {
    for (let k = 0; k < n; k++) idx[k] = Math.floor(rng.uniform() * n);
    const dm = metricOf(a, idx) - metricOf(b, idx);
    if (Number.isFinite(dm)) metricDiffs.push(dm);
    lossDiffs.push(lossOf(a, idx) - lossOf(b, idx));
  }
  const metricDifference = interval(metricOf(a, undefined) - metricOf(b, undefined), metricDiffs);
  const lossDifference = interval(lossOf(a, undefined) - lossOf(b, undefined), lossDiffs);
  const identical = a.predictions.every((p, i) => p === b.predictions[i]);
  const mcnemar = name === 'accuracy' ? mcnemarExact(a, b) : undefined;
  const verdict: Verdict = identical
    ? 'identical'
    : metricDifference.low > 0
      ? 'bomf-better'
      : metricDifference.high < 0
        ? 'baseline-better'
        : 'noise';
  return {
    baseline,
    metric,
    metricDifference,
    lossDifference,
    mcnemar,
    verdict,
    summary: summarize(baseline, metric, verdict, metricDifference, mcnemar?.p),
  };
}

function interval(difference: number, samples: number[]): Interval {
  if (samples.length === 0) return { difference, low: Number.NaN, high: Number.NaN };
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { difference, low: at(0.025), high: at(0.975) };
}

/** Exact two-sided McNemar test on the examples exactly one of the two models gets right. */
export function mcnemarExact(
  a: PerExampleResults,
  b: PerExampleResults,
): { p: number; bomfOnly: number; baselineOnly: number } {
  let bomfOnly = 0;
  let baselineOnly = 0;
  a.labels.forEach((label, i) => {
    const ra = a.predictions[i] === label;
    const rb = b.predictions[i] === label;
    if (ra && !rb) bomfOnly++;
    if (rb && !ra) baselineOnly++;
  });
  return { p: binomialTwoSided(bomfOnly, bomfOnly + baselineOnly), bomfOnly, baselineOnly };
}

/** min(1, 2·P(X ≤ min(k, n − k))) for X ~ Binomial(n, ½), summed in log space. */
export function binomialTwoSided(k: number, n: number): number {
  if (n === 0) return 1;
  const m = Math.min(k, n - k);
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let j = 0; j <= m; j++) {
    if (j > 0) logC += Math.log(n - j + 1) - Math.log(j);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

function summarize(
  baseline: string,
  metric: string,
  verdict: Verdict,
  d: Interval,
  p: number | undefined,
): string {
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  const gap = `${metric} ${pct(d.difference)} points [${pct(d.low)}, ${pct(d.high)}]${p === undefined ? '' : `, McNemar p = ${p.toPrecision(2)}`}`;
  switch (verdict) {
    case 'identical':
      return `BOMF and ${baseline} make the same test predictions.`;
    case 'bomf-better':
      return `BOMF beats ${baseline} on test: ${gap}.`;
    case 'baseline-better':
      return `${baseline} beats BOMF on test: ${gap}.`;
    case 'noise':
      return `No clear difference between BOMF and ${baseline} on test (noise): ${gap}.`;
  }
}
