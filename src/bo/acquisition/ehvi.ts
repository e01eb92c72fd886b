/**
 * Analytic expected hypervolume improvement (EHVI) for independent Gaussian outcomes
 * (maximization). Yang, Emmerich, Deutz, Bäck, "Efficient computation of expected hypervolume
 * improvement using box decomposition algorithms", J. Glob. Optim. 75 (2019) 3–34.
 *
 * With the non-dominated region split into disjoint cells [l_k, u_k] (box-decomposition.ts),
 * HVI(y) = Σ_k Π_j (min(y_j, u_kj) − l_kj)_+, and for independent Y_j ~ N(μ_j, σ_j²)
 *
 *   EHVI = Σ_k Π_j g(l_kj, u_kj),   g(l, u) = E[(min(Y, u) − l)_+] = ∫_l^u P(Y > t) dt
 *        = EI(l) − EI(u),           EI(t) = σ·h((μ − t)/σ),  h(z) = φ(z) + zΦ(z).
 *
 * So a cell side is a difference of two expected improvements (EI(∞) = 0), which we evaluate in
 * log space with the stable log h of logei.ts: EHVI underflows far from the front, its logarithm
 * does not, and the acquisition optimizer works on log EHVI. Derivatives:
 * ∂g/∂μ = Φ(a) − Φ(b), ∂g/∂σ = φ(a) − φ(b) with a = (μ − l)/σ, b = (μ − u)/σ.
 * The sum over 2^m corner terms that BoTorch uses is not needed: each factor is formed directly.
 */
import { type Box, nonDominatedBoxes } from '../hypervolume/box-decomposition';
import { log1mexp, logSumExp, normalCdf, normalPdf } from '../math';
import { logEIWithGrad, logH } from './logei';

/** Smallest standard deviation used (as BoTorch clamps the variance for EHVI). */
const MIN_SIGMA = 1e-9;

/** log EHVI with its gradient in the posterior means and standard deviations. */
export interface LogEHVIResult {
  /** log EHVI (−Infinity when the improvement is exactly impossible). */
  value: number;
  /** (m) ∂ log EHVI / ∂μ_j. */
  meanGrad: number[];
  /** (m) ∂ log EHVI / ∂σ_j (0 where σ_j was clamped). */
  sigmaGrad: number[];
}

interface LogSide {
  value: number;
  dMean: number;
  dSigma: number;
}

/** log g(l, u) for one objective with its derivatives in μ and σ. */
function logCellSide(mu: number, sigma: number, lower: number, upper: number): LogSide {
  const atLower = logEIWithGrad(mu, sigma, lower);
  if (upper === Infinity)
    return { value: atLower.value, dMean: atLower.dMean, dSigma: atLower.dSigma };
  const a = (mu - lower) / sigma;
  const b = (mu - upper) / sigma;
  if (b >= 0) {
    // The mean is above the whole interval: g = (u − l) − σ·[h(−b) − h(−a)], where the bracket is
    // at most half of (u − l)/σ, so nothing cancels (h(z) = z + h(−z)).
    const g = upper - lower - sigma * (Math.exp(logH(-b)) - Math.exp(logH(-a)));
    return {
      value: Math.log(g),
      dMean: (normalCdf(-b) - normalCdf(-a)) / g,
      dSigma: (normalPdf(a) - normalPdf(b)) / g,
    };
  }
  // g = EI(l)·(1 − r), r = EI(u)/EI(l) ∈ [0, 1); d log g = (d log EI(l) − r·d log EI(u))/(1 − r).
  const atUpper = logEIWithGrad(mu, sigma, upper);
  const logRatio = atUpper.value - atLower.value;
  const r = Math.exp(logRatio);
  return {
    value: atLower.value + log1mexp(Math.min(logRatio, 0)),
    dMean: (atLower.dMean - r * atUpper.dMean) / (1 - r),
    dSigma: (atLower.dSigma - r * atUpper.dSigma) / (1 - r),
  };
}

/**
 * log EHVI from a precomputed box decomposition, with gradients (use this inside an optimizer:
 * the decomposition depends only on the front).
 *
 * @param mean - (m) posterior means.
 * @param sigma - (m) posterior standard deviations (> 0; clamped at 1e-9).
 * @param boxes - cells of the non-dominated region (`nonDominatedBoxes(front, ref)`).
 */
export function logEHVIFromBoxes(
  mean: readonly number[],
  sigma: readonly number[],
  boxes: readonly Box[],
): LogEHVIResult {
  const m = mean.length;
  const sig = sigma.map((s) => Math.max(s, MIN_SIGMA));
  const logCells = new Float64Array(boxes.length);
  const sides: LogSide[][] = [];
  for (const [k, box] of boxes.entries()) {
    const row: LogSide[] = [];
    let total = 0;
    for (let j = 0; j < m; j++) {
      const side = logCellSide(mean[j]!, sig[j]!, box.lower[j]!, box.upper[j]!);
      row.push(side);
      total += side.value;
    }
    sides.push(row);
    logCells[k] = total;
  }
  const value = logSumExp(logCells);
  const meanGrad = new Array<number>(m).fill(0);
  const sigmaGrad = new Array<number>(m).fill(0);
  if (value === -Infinity) return { value, meanGrad, sigmaGrad };
  // ∂ log Σ_k e^{c_k} = Σ_k softmax_k ∂c_k, with c_k = Σ_j log g_kj.
  for (const [k, row] of sides.entries()) {
    const weight = Math.exp(logCells[k]! - value);
    if (weight === 0) continue;
    for (let j = 0; j < m; j++) {
      meanGrad[j]! += weight * row[j]!.dMean;
      if (sigma[j]! > MIN_SIGMA) sigmaGrad[j]! += weight * row[j]!.dSigma;
    }
  }
  return { value, meanGrad, sigmaGrad };
}

/**
 * Exact EHVI of one candidate with independent Gaussian outcomes N(mean_j, sigma_j²).
 * Works for any number of objectives (the decomposition is exact); intended for m = 2, where the
 * non-dominated region has n + 1 cells.
 *
 * @param mean - (m) posterior means (maximized objectives).
 * @param sigma - (m) posterior standard deviations, > 0.
 * @param front - (n, m) current points (dominated rows and rows not above ref are ignored).
 * @param ref - (m) reference point.
 * @returns EHVI ≥ 0 (may underflow to 0 far from the front; use the log form to optimize).
 */
export function expectedHypervolumeImprovement(
  mean: number[],
  sigma: number[],
  front: number[][],
  ref: number[],
): number {
  if (mean.length !== ref.length || sigma.length !== ref.length) {
    throw new Error(
      `expectedHypervolumeImprovement: mean (${mean.length}) and sigma (${sigma.length}) must have one entry per objective (${ref.length})`,
    );
  }
  return Math.exp(logEHVIFromBoxes(mean, sigma, nonDominatedBoxes(front, ref)).value);
}

/** {@link expectedHypervolumeImprovement} in log space, with gradients in mean and sigma. */
export function logExpectedHypervolumeImprovement(
  mean: number[],
  sigma: number[],
  front: number[][],
  ref: number[],
): LogEHVIResult {
  return logEHVIFromBoxes(mean, sigma, nonDominatedBoxes(front, ref));
}
