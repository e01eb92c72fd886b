import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SOBOL_MAX_DIM, sobol } from '../../../src/bo/sobol';
import fixture from '../../fixtures/bo/sobol_scipy.json';

test('unscrambled points equal scipy’s Joe–Kuo sequence (128 points × 64 dims), starting at the origin', () => {
  const pts = sobol(128, 64);
  assert.deepEqual(pts[0], new Array(64).fill(0));
  assert.deepEqual(pts, fixture.points);
});

test('deep points (index up to ~1e6) match scipy, exercising all direction bits', () => {
  for (const [index, want] of Object.entries(fixture.deepPoints)) {
    assert.deepEqual(sobol(1, 64, { skip: Number(index) })[0], want, `point ${index}`);
  }
  // Skipping is the same as dropping the first points, scrambled or not.
  for (const scramble of [false, true]) {
    assert.deepEqual(
      sobol(37, 9, { scramble, seed: 3, skip: 91 }),
      sobol(128, 9, { scramble, seed: 3 }).slice(91),
    );
  }
});

test('the notes’ reference points (d = 6, points 8 and 15)', () => {
  const pts = sobol(16, 6);
  assert.deepEqual(pts[8], [0.1875, 0.3125, 0.9375, 0.4375, 0.5625, 0.3125]);
  assert.deepEqual(pts[15], [0.0625, 0.9375, 0.5625, 0.3125, 0.6875, 0.1875]);
});

/** Counts of the points in each cell of a 2^k1 × 2^k2 grid over coordinates (a, b). */
function cellCounts(pts: number[][], a: number, b: number, k1: number, k2: number): number[] {
  const counts = new Array(2 ** (k1 + k2)).fill(0);
  for (const p of pts) counts[Math.floor(p[a] * 2 ** k1) * 2 ** k2 + Math.floor(p[b] * 2 ** k2)]++;
  return counts;
}

for (const scramble of [false, true]) {
  test(`net properties hold ${scramble ? 'after scrambling' : 'unscrambled'}`, () => {
    const m = 8;
    const pts = sobol(2 ** m, 40, { scramble, seed: 7 });
    // Every 1-D projection is a (0, m, 1)-net: one point per interval of length 2^-m.
    for (let j = 0; j < 40; j++) {
      assert.ok(
        cellCounts(pts, j, j, m, 0).every((c) => c === 1),
        `dim ${j}`,
      );
    }
    // The first two dimensions form a (0, m, 2)-net: every elementary box of volume 2^-m holds one point.
    for (let k1 = 0; k1 <= m; k1++) {
      assert.ok(
        cellCounts(pts, 0, 1, k1, m - k1).every((c) => c === 1),
        `boxes 2^${k1} × 2^${m - k1}`,
      );
    }
  });
}

test('scrambling is seeded: same seed, same points; other seed, other points; all in [0,1)', () => {
  const a = sobol(64, 5, { scramble: true, seed: 11 });
  assert.deepEqual(a, sobol(64, 5, { scramble: true, seed: 11 }));
  assert.notDeepEqual(a, sobol(64, 5, { scramble: true, seed: 12 }));
  assert.ok(a.flat().every((v) => v >= 0 && v < 1));
  assert.notDeepEqual(a[0], [0, 0, 0, 0, 0]);
});

test('bad sizes are rejected with the argument named', () => {
  assert.throws(() => sobol(4, 0), /d must be an integer in \[1, /);
  assert.throws(() => sobol(4, SOBOL_MAX_DIM + 1), /d must be/);
  assert.throws(() => sobol(-1, 2), /n must be/);
  assert.ok(SOBOL_MAX_DIM >= 64);
});
