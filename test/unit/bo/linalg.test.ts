import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cholesky,
  choleskySolve,
  choleskyWithJitter,
  inverseFromCholesky,
  logDetFromCholesky,
  solveLowerMatrix,
  solveUpperTransposedMatrix,
} from '../../../src/bo/linalg';
import { assertClose } from './gradcheck';

/** A = B Bᵀ + εI for a deterministic B: symmetric positive definite. */
function spd(n: number, eps = 0.1): Float64Array {
  const B = Array.from({ length: n * n }, (_, i) => Math.sin(1.3 * i + 0.7) * Math.cos(0.37 * i));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k] * B[j * n + k];
      A[i * n + j] = s;
    }
  return A;
}

function matVec(A: Float64Array, n: number, x: ArrayLike<number>): number[] {
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += A[i * n + k] * x[k];
    return s;
  });
}

test('Cholesky reconstructs A = L Lᵀ with a lower-triangular factor', () => {
  const n = 7;
  const A = spd(n);
  const L = cholesky(A, n);
  assert.ok(L);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (j > i) assert.equal(L[i * n + j], 0);
      let s = 0;
      for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
      assertClose(s, A[i * n + j], 1e-12, 1e-12, `LLᵀ[${i},${j}]`);
    }
});

test('cholesky solve, matrix solves and inverse agree with A', () => {
  const n = 6;
  const A = spd(n);
  const L = cholesky(A, n)!;
  const b = [1, -2, 0.5, 3, 0, -1];
  assertClose(matVec(A, n, choleskySolve(L, n, b)), b, 1e-10, 1e-10, 'A x');
  // Two right-hand sides through the matrix solves: Lᵀ \ (L \ B) = A⁻¹ B.
  const B = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    B[i * 2] = b[i];
    B[i * 2 + 1] = i * i;
  }
  const X = solveUpperTransposedMatrix(L, n, solveLowerMatrix(L, n, B, 2), 2);
  const Ainv = inverseFromCholesky(L, n);
  for (let c = 0; c < 2; c++) {
    const col = Array.from({ length: n }, (_, i) => X[i * 2 + c]);
    const rhs = Array.from({ length: n }, (_, i) => B[i * 2 + c]);
    assertClose(matVec(A, n, col), rhs, 1e-10, 1e-10, `A X col ${c}`);
    assertClose(matVec(Ainv, n, rhs), col, 1e-10, 1e-10, `A⁻¹ B col ${c}`);
  }
});

test('log-determinant matches the 2×2 closed form', () => {
  const A = Float64Array.from([4, 2, 2, 3]);
  assertClose(logDetFromCholesky(cholesky(A, 2)!, 2), Math.log(4 * 3 - 2 * 2), 1e-14);
});

test('jitter escalation factorizes a singular matrix from duplicate points', () => {
  // Rank-one: every entry 1 (three identical inputs of a noise-free kernel).
  const A = new Float64Array(9).fill(1);
  assert.equal(cholesky(A, 3), null);
  const { L, jitter } = choleskyWithJitter(A, 3);
  assert.ok(jitter > 0 && jitter <= 1e-6, `jitter ${jitter}`);
  assert.ok(L.every(Number.isFinite));
});

test('a matrix that stays indefinite gives a clear error', () => {
  const A = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and −1
  assert.throws(() => choleskyWithJitter(A, 2), /not positive definite even with jitter/);
});
