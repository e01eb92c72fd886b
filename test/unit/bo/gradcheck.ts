// Central finite differences for checking hand-written gradients in the BO tests.
import assert from 'node:assert/strict';

/** Central-difference gradient of f at x with step h. */
export function finiteDifferenceGradient(
  f: (x: number[]) => number,
  x: number[],
  h = 1e-6,
): number[] {
  return x.map((_, k) => {
    const xp = [...x];
    const xm = [...x];
    xp[k] += h;
    xm[k] -= h;
    return (f(xp) - f(xm)) / (2 * h);
  });
}

/** Asserts |analytic − numeric| ≤ atol + rtol·|numeric| componentwise. */
export function assertGradClose(
  analytic: ArrayLike<number>,
  numeric: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-7, what = 'gradient' } = {},
): void {
  assert.equal(analytic.length, numeric.length, `${what}: length`);
  for (let k = 0; k < numeric.length; k++) {
    const err = Math.abs(analytic[k] - numeric[k]);
    assert.ok(
      err <= atol + rtol * Math.abs(numeric[k]),
      `${what}[${k}]: analytic ${analytic[k]} vs finite difference ${numeric[k]}`,
    );
  }
}

/** Asserts |a − b| ≤ atol + rtol·|b| elementwise for arrays (or scalars). */
export function assertClose(
  a: number | ArrayLike<number>,
  b: number | ArrayLike<number>,
  rtol = 1e-9,
  atol = 1e-12,
  what = 'value',
): void {
  const av = typeof a === 'number' ? [a] : a;
  const bv = typeof b === 'number' ? [b] : b;
  assert.equal(av.length, bv.length, `${what}: length`);
  for (let k = 0; k < bv.length; k++) {
    assert.ok(
      Math.abs(av[k] - bv[k]) <= atol + rtol * Math.abs(bv[k]),
      `${what}[${k}]: ${av[k]} vs ${bv[k]}`,
    );
  }
}
