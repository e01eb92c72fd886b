/**
 * Linear models on sparse rows, fitted by L-BFGS (the BO core's minimizer):
 * multinomial logistic regression and ridge regression, both with an L2 penalty
 * on the weights (not the intercepts), parametrized like scikit-learn:
 *   logistic: minimize C·Σ_i CE(softmax(W x_i + b), y_i) + ½‖W‖²
 *   ridge:    minimize Σ_i (w·x_i + b − y_i)² + α‖w‖²
 * Both objectives are divided by n here (same minimizer, better-scaled steps).
 */
import { minimizeLbfgsb } from '../../../src/bo';
import type { SparseRow } from './tfidf';

export interface LinearModel {
  /** Outputs per row: logits [C] (classification) or [score] (regression). */
  predict(rows: readonly SparseRow[]): number[][];
}

export interface FitOptions {
  maxIterations?: number;
}

/** W [C × D] row-major, then b [C], in one flat parameter vector. */
function outputs(theta: ArrayLike<number>, x: SparseRow, classes: number, dims: number): number[] {
  const z = new Array<number>(classes);
  for (let c = 0; c < classes; c++) {
    let s = theta[classes * dims + c]!;
    const base = c * dims;
    for (let t = 0; t < x.indices.length; t++) s += theta[base + x.indices[t]!]! * x.values[t]!;
    z[c] = s;
  }
  return z;
}

function linear(theta: number[], classes: number, dims: number): LinearModel {
  return { predict: (rows) => rows.map((x) => outputs(theta, x, classes, dims)) };
}

/**
 * Multinomial logistic regression with inverse regularization strength `c`.
 * @param rows - N sparse rows with indices < dims
 * @param labels - N class ids in [0, classes)
 */
export function fitLogistic(
  rows: readonly SparseRow[],
  labels: readonly number[],
  classes: number,
  dims: number,
  c: number,
  opts: FitOptions = {},
): LinearModel {
  const n = rows.length;
  const size = classes * dims + classes;
  const result = minimizeLbfgsb(
    (theta) => {
      const grad = new Float64Array(size);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const x = rows[i]!;
        const z = outputs(theta, x, classes, dims);
        const m = Math.max(...z);
        const exps = z.map((v) => Math.exp(v - m));
        const sum = exps.reduce((a, b) => a + b, 0);
        loss += Math.log(sum) + m - z[labels[i]!]!;
        for (let k = 0; k < classes; k++) {
          const g = exps[k]! / sum - (k === labels[i] ? 1 : 0);
          grad[classes * dims + k]! += c * g;
          const base = k * dims;
          for (let t = 0; t < x.indices.length; t++)
            grad[base + x.indices[t]!]! += c * g * x.values[t]!;
        }
      }
      let penalty = 0;
      for (let j = 0; j < classes * dims; j++) {
        penalty += theta[j]! * theta[j]!;
        grad[j]! += theta[j]!;
      }
      for (let j = 0; j < size; j++) grad[j]! /= n;
      return { value: (c * loss + 0.5 * penalty) / n, grad };
    },
    new Float64Array(size),
    { maxIterations: opts.maxIterations ?? 500, gradTol: 1e-7, valueTol: 1e-12 },
  );
  return linear(result.x, classes, dims);
}

/** Ridge regression with penalty `alpha` on the weights. */
export function fitRidge(
  rows: readonly SparseRow[],
  targets: readonly number[],
  dims: number,
  alpha: number,
  opts: FitOptions = {},
): LinearModel {
  const n = rows.length;
  const size = dims + 1;
  const result = minimizeLbfgsb(
    (theta) => {
      const grad = new Float64Array(size);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const x = rows[i]!;
        const r = outputs(theta, x, 1, dims)[0]! - targets[i]!;
        loss += r * r;
        grad[dims]! += 2 * r;
        for (let t = 0; t < x.indices.length; t++) grad[x.indices[t]!]! += 2 * r * x.values[t]!;
      }
      let penalty = 0;
      for (let j = 0; j < dims; j++) {
        penalty += theta[j]! * theta[j]!;
        grad[j]! += 2 * alpha * theta[j]!;
      }
      for (let j = 0; j < size; j++) grad[j]! /= n;
      return { value: (loss + alpha * penalty) / n, grad };
    },
    new Float64Array(size),
    { maxIterations: opts.maxIterations ?? 500, gradTol: 1e-7, valueTol: 1e-12 },
  );
  return linear(result.x, 1, dims);
}
