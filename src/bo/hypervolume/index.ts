export {
  type Box,
  hypervolumeImprovementFromBoxes,
  nonDominatedBoxes,
} from './boxDecomposition';
export { hypervolume, hypervolumeImprovement } from './hypervolume';
export { referencePoint } from './referencePoint';
