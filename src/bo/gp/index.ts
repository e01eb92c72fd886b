export {
  ExactGP,
  type GPHyperparameters,
  type JointPosterior,
  type JointPosteriorWithGrad,
  MIN_VARIANCE,
  type Posterior,
  type PosteriorWithGrad,
} from './exact-gp';
export {
  evaluateKernel,
  type KernelEvaluation,
  type KernelKind,
  type KernelParams,
  kernelProfile,
  kernelProfileDerivative,
} from './kernels';
