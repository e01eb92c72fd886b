// Public surface of the Bayesian-optimization core. Imports nothing else of ours.

// Multi-objective core: Pareto, hypervolume, EHVI, domains, the ask/tell optimizer.
export {
  type Acquisition,
  type AcquisitionKind,
  type AcquisitionSpec,
  buildAcquisition,
} from './acquisition/acquisition';
export {
  expectedHypervolumeImprovement,
  type LogEHVIResult,
  logEHVIFromBoxes,
  logExpectedHypervolumeImprovement,
} from './acquisition/ehvi';
// Single-objective core: GP, LogEI, optimizers, Sobol, PRNG.
export { logEI, logEIWithGrad, logH } from './acquisition/logei';
export { type QLogNEHVIOptions, qLogNEHVIObjective } from './acquisition/qlognehvi';
export { normalBaseSamples, normalQuantile } from './acquisition/qmc-normal';
export {
  BoxDomain,
  cubeToSimplexWithJacobian,
  SimplexDomain,
  type SimplexParametrization,
  simplexToStickBreaking,
  stickBreakingToSimplex,
  type UnitCubeDomain,
} from './domain';
export {
  ExactGP,
  type FitOptions,
  FittedGP,
  fitGP,
  type GPHyperparameters,
  type JointPosterior,
  type JointPosteriorWithGrad,
  type KernelKind,
  MIN_VARIANCE,
  type Posterior,
  type PosteriorFactors,
  type PosteriorWithGrad,
  type Standardization,
  standardize,
} from './gp';
export {
  type Box,
  hypervolume,
  hypervolumeImprovement,
  hypervolumeImprovementFromBoxes,
  nonDominatedBoxes,
  referencePoint,
} from './hypervolume';
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
export {
  BayesOptimizer,
  type Domain,
  type OptimizerOptions,
  type ParamSpec,
  type Suggestion,
} from './optimizer';
export { dominates, paretoFront, paretoRows } from './pareto';
export { Random } from './random';
export { SIMPLEX_DUPLICATE_TOL, type SurrogateInputs } from './search-space';
export { SOBOL_MAX_DIM, type SobolOptions, sobol } from './sobol';
