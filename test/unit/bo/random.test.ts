import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../src/bo/random';

test('Random is reproducible per seed and differs across seeds', () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const xs = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.uniform()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.uniform()),
  );
});

test('uniform draws have the moments of U[0,1) and normal draws those of N(0,1)', () => {
  const rng = new Random(1);
  const N = 100_000;
  let s = 0;
  let s2 = 0;
  let z1 = 0;
  let z2 = 0;
  for (let i = 0; i < N; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    s += u;
    s2 += u * u;
    const z = rng.normal();
    z1 += z;
    z2 += z * z;
  }
  // Tolerances are ~5 standard errors.
  assert.ok(Math.abs(s / N - 0.5) < 5 * Math.sqrt(1 / 12 / N));
  assert.ok(Math.abs(s2 / N - 1 / 3) < 0.005);
  assert.ok(Math.abs(z1 / N) < 5 / Math.sqrt(N));
  assert.ok(Math.abs(z2 / N - 1) < 5 * Math.sqrt(2 / N));
});

test('integer(n) covers 0..n−1 evenly', () => {
  const rng = new Random(5);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70_000; i++) counts[rng.integer(7)]++;
  assert.ok(
    counts.every((c) => Math.abs(c - 10_000) < 500),
    `${counts}`,
  );
});
