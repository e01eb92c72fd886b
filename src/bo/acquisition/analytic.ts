/**
 * Analytic single-point acquisitions as x → (value, gradient) objectives for the optimizer,
 * in log space: LogEI for one objective, log EHVI for several (independent GPs per objective).
 * Gradients follow from the chain rule through the GP posterior:
 * ∂/∂x = ∂a/∂μ·∇μ + ∂a/∂σ·∇σ, with ∇σ = ∇(σ²)/(2σ).
 */
import type { Box } from '../hypervolume/box-decomposition';
import type { Objective } from '../optim';
import { logEHVIFromBoxes } from './ehvi';
import { logEI, logEIWithGrad } from './logei';

/** What an acquisition needs from a surrogate: the marginal posterior and its x-gradient. */
export interface PosteriorModel {
  /** @param Xs - (k, d). @returns (k) means and latent variances. */
  posterior(Xs: number[][]): { mean: number[]; variance: number[] };
  posteriorWithGrad(x: number[]): {
    mean: number;
    variance: number;
    /** (d) ∂mean/∂x. */
    meanGrad: number[];
    /** (d) ∂variance/∂x. */
    varianceGrad: number[];
  };
}

/**
 * log EI over the incumbent `best` (maximization).
 * @param model - surrogate of the (standardized) objective.
 * @param best - incumbent value in the model's units.
 */
export function logEIObjective(model: PosteriorModel, best: number): Objective {
  return (x) => {
    const p = model.posteriorWithGrad(x);
    const sigma = Math.sqrt(p.variance);
    const r = logEIWithGrad(p.mean, sigma, best);
    const grad = p.meanGrad.map(
      (g, k) => r.dMean * g + (r.dSigma * p.varianceGrad[k]!) / (2 * sigma),
    );
    return { value: r.value, grad };
  };
}

/**
 * log EHVI of one candidate, with one independent surrogate per objective.
 * @param models - (m) surrogates, in the units of the boxes.
 * @param boxes - decomposition of the non-dominated region of the current front.
 */
export function logEHVIObjective(
  models: readonly PosteriorModel[],
  boxes: readonly Box[],
): Objective {
  return (x) => {
    const posts = models.map((model) => model.posteriorWithGrad(x));
    const sigmas = posts.map((p) => Math.sqrt(p.variance));
    const r = logEHVIFromBoxes(
      posts.map((p) => p.mean),
      sigmas,
      boxes,
    );
    const grad = new Array<number>(x.length).fill(0);
    posts.forEach((p, j) => {
      const dSigma = r.sigmaGrad[j]! / (2 * sigmas[j]!);
      for (let k = 0; k < x.length; k++) {
        grad[k]! += r.meanGrad[j]! * p.meanGrad[k]! + dSigma * p.varianceGrad[k]!;
      }
    });
    return { value: r.value, grad };
  };
}

/**
 * log EI at many points at once (value only, one batched posterior): cheap screening of the
 * raw samples before gradient-based refinement.
 * @param Xs - (k, d) points. @returns (k) log EI values.
 */
export function logEIValues(model: PosteriorModel, best: number, Xs: number[][]): number[] {
  const p = model.posterior(Xs);
  return p.mean.map((mu, i) => logEI(mu, Math.sqrt(p.variance[i]!), best));
}

/** log EHVI at many points at once (value only); see {@link logEIValues}. */
export function logEHVIValues(
  models: readonly PosteriorModel[],
  boxes: readonly Box[],
  Xs: number[][],
): number[] {
  const posts = models.map((model) => model.posterior(Xs));
  return Xs.map(
    (_, i) =>
      logEHVIFromBoxes(
        posts.map((p) => p.mean[i]!),
        posts.map((p) => Math.sqrt(p.variance[i]!)),
        boxes,
      ).value,
  );
}
