export {
  type Box,
  hypervolumeImprovementFromBoxes,
  nonDominatedBoxes,
} from './box-decomposition';
export { hypervolume, hypervolumeImprovement } from './hypervolume';
export { referencePoint } from './reference-point';
