export {
  ExactGP,
  type GPHyperparameters,
  type JointPosterior,
  type JointPosteriorWithGrad,
  MIN_VARIANCE,
  type Posterior,
  type PosteriorFactors,
  type PosteriorWithGrad,
} from './exact-gp';
export { type FitOptions, FittedGP, fitGP } from './fit';
export {
  evaluateKernel,
  type KernelEvaluation,
  type KernelKind,
  type KernelParams,
  kernelProfile,
  kernelProfileDerivative,
} from './kernels';
export {
  FIT_BOUNDS,
  type LogNormalPrior,
  lengthscalePrior,
  logNormalLogDensity,
  logNormalMode,
  NOISE_PRIOR,
  OUTPUTSCALE_PRIOR,
} from './priors';
export { type Standardization, standardize } from './standardize';
