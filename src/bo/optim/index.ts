export {
  type LbfgsbOptions,
  type LbfgsbResult,
  type LbfgsbStatus,
  maximizeLbfgsb,
  minimizeLbfgsb,
  type Objective,
  type ValueAndGrad,
} from './lbfgsb';
export {
  type OptimizeAcquisitionOptions,
  type OptimizeAcquisitionResult,
  optimizeAcquisition,
} from './optimize-acquisition';
