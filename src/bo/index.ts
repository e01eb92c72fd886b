// Public surface of the Bayesian-optimization core. Imports nothing else of ours.

// Single-objective core: GP, LogEI, optimizers, Sobol, PRNG.
export { logEI, logEIWithGrad, logH } from './acquisition/logei';
export {
  ExactGP,
  type GPHyperparameters,
  type JointPosterior,
  type JointPosteriorWithGrad,
  type KernelKind,
  MIN_VARIANCE,
  type Posterior,
  type PosteriorWithGrad,
} from './gp';
export {
  type LbfgsbOptions,
  type LbfgsbResult,
  maximizeLbfgsb,
  minimizeLbfgsb,
  type Objective,
  type OptimizeAcquisitionOptions,
  type OptimizeAcquisitionResult,
  optimizeAcquisition,
  type ValueAndGrad,
} from './optim';
export { Random } from './random';
export { SOBOL_MAX_DIM, type SobolOptions, sobol } from './sobol';
