export { BoxDomain, type ParamSpec } from './box';
export {
  cubeToSimplexWithJacobian,
  SimplexDomain,
  type SimplexParametrization,
  simplexToStickBreaking,
  stickBreakingToSimplex,
} from './simplex';
export type { UnitCubeDomain } from './types';
