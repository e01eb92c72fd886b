/**
 * Log expected improvement for maximization, stable for any z (Ament et al., "Unexpected
 * improvements to expected improvement for Bayesian optimization", NeurIPS 2023, eq. 9).
 *
 * EI(μ, σ; f*) = σ·h(z) with z = (μ − f*)/σ and h(z) = φ(z) + zΦ(z) = E[max(Z + z, 0)].
 * Plain float64 EI underflows to 0 for z ≲ −38.6, so we evaluate log h(z) directly:
 *  - z > −1:  h(z) computed as written (no cancellation: zΦ(z) > −0.16).
 *  - −30 ≤ z ≤ −1: with Φ(z) = ½ erfcx(−z/√2) e^{−z²/2},
 *       h(z) = φ(z)·[1 − |z|·erfcx(−z/√2)·√(π/2)],
 *    so log h = −z²/2 − ½log 2π + log1mexp(log(|z|·erfcx(−z/√2)) + ½log(π/2)).
 *  - z < −30: the bracket above is 1 − (1 − 1/z² + 3/z⁴ − …) and cancels (relative error
 *    ~ε·z²), so we use the asymptotic series of the Mills ratio instead:
 *       h(z) = φ(z)/z² · Σ_{k≥0} (−1)^k (2k+1)!! / z^{2k},
 *    truncated after k = 10; the first omitted term is below 1e-20 relative at |z| ≥ 30.
 * Gradient: h'(z) = Φ(z), so d log h/dz = Φ(z)/h(z) (see {@link logHAndRatio}).
 */
import { erfcx, LOG_SQRT_2PI, log1mexp, normalCdf, normalPdf } from '../math';

const SQRT_PI_OVER_2 = Math.sqrt(Math.PI / 2);
const ASYMPTOTIC_BELOW = -30;
/** (−1)^k (2k+1)!! for k = 1…10, the coefficients of the series above. */
const MILLS_SERIES = [
  -3, 15, -105, 945, -10395, 135135, -2027025, 34459425, -654729075, 13749310575,
];

/**
 * log h(z) and the ratio Φ(z)/h(z) = d log h/dz, both accurate to ~1e-14 relative for all finite z.
 * The ratio is formed from the same bracket as log h (Φ/φ = √(π/2)·erfcx(−z/√2)) rather than as
 * exp(log Φ − log h), which would lose ~ε·z² to cancellation of two huge logs.
 */
function logHAndRatio(z: number): { logH: number; ratio: number } {
  if (z > -1) {
    const cdf = normalCdf(z);
    const h = normalPdf(z) + z * cdf;
    return { logH: Math.log(h), ratio: cdf / h };
  }
  const quadratic = -0.5 * z * z - LOG_SQRT_2PI;
  const cdfOverPdf = SQRT_PI_OVER_2 * erfcx(-z * Math.SQRT1_2);
  if (z >= ASYMPTOTIC_BELOW) {
    const logBracket = log1mexp(Math.log(-z * cdfOverPdf));
    return { logH: quadratic + logBracket, ratio: cdfOverPdf / Math.exp(logBracket) };
  }
  const w = 1 / (z * z);
  let series = 0;
  for (let k = MILLS_SERIES.length - 1; k >= 0; k--) series = w * (MILLS_SERIES[k] + series);
  // Here h/φ = w·(1 + series).
  return {
    logH: quadratic + Math.log(w) + Math.log1p(series),
    ratio: cdfOverPdf / (w * (1 + series)),
  };
}

/** log h(z) = log(φ(z) + zΦ(z)), accurate to ~1e-14 relative for all finite z. */
export function logH(z: number): number {
  return logHAndRatio(z).logH;
}

/**
 * log EI of a Gaussian outcome N(mean, sigma²) over the incumbent `best` (maximization).
 * @param sigma - posterior standard deviation, > 0.
 */
export function logEI(mean: number, sigma: number, best: number): number {
  return Math.log(sigma) + logH((mean - best) / sigma);
}

/** {@link logEI} with its partial derivatives in the mean and in sigma. */
export function logEIWithGrad(
  mean: number,
  sigma: number,
  best: number,
): { value: number; dMean: number; dSigma: number } {
  const z = (mean - best) / sigma;
  const { logH: lh, ratio: r } = logHAndRatio(z);
  // ∂z/∂μ = 1/σ, ∂z/∂σ = −z/σ, and ∂ log σ/∂σ = 1/σ.
  return { value: Math.log(sigma) + lh, dMean: r / sigma, dSigma: (1 - z * r) / sigma };
}
