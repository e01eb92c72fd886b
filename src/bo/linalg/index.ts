export {
  type CholeskyResult,
  cholesky,
  choleskySolve,
  choleskyWithJitter,
  inverseFromCholesky,
  logDetFromCholesky,
  solveLower,
  solveLowerInPlace,
  solveLowerMatrix,
  solveUpperTransposed,
  solveUpperTransposedInPlace,
  solveUpperTransposedMatrix,
} from './cholesky';
