import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  hypervolume,
  hypervolumeImprovement,
  hypervolumeImprovementFromBoxes,
  nonDominatedBoxes,
  referencePoint,
} from '../../../src/bo/hypervolume';
import { paretoFront } from '../../../src/bo/pareto';
import { Random } from '../../../src/bo/random';

/** Uniform draws in [0, 1) from the seeded PRNG of the BO core. */
function rng(seed: number): () => number {
  const r = new Random(seed);
  return () => r.uniform();
}

/** Independent reference: inclusion–exclusion over all non-empty subsets (n ≤ 12). */
function bruteForceHV(Y: number[][], ref: number[]): number {
  const n = Y.length;
  let total = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    let size = 0;
    const corner = ref.map(() => Infinity);
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        size++;
        for (let j = 0; j < ref.length; j++) corner[j] = Math.min(corner[j]!, Y[i]![j]!);
      }
    }
    let v = 1;
    for (let j = 0; j < ref.length; j++) v *= Math.max(0, corner[j]! - ref[j]!);
    total += size % 2 === 1 ? v : -v;
  }
  return total;
}

function randomPoints(r: () => number, n: number, m: number): number[][] {
  // Points near the sphere so that many are mutually non-dominated.
  return Array.from({ length: n }, () => {
    const raw = Array.from({ length: m }, () => r() + 0.05);
    const norm = Math.hypot(...raw);
    return raw.map((v) => (v / norm) * (0.8 + 0.4 * r()) - 0.1);
  });
}

describe('paretoFront', () => {
  test('keeps non-dominated rows, drops duplicates after the first and NaN rows', () => {
    const Y = [
      [1, 2],
      [2, 1],
      [1, 2],
      [0.5, 0.5],
      [2, 1.5],
      [Number.NaN, 9],
    ];
    assert.deepEqual(paretoFront(Y), [0, 4]);
  });

  test('agrees with the O(n²) definition on random data', () => {
    const r = rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const Y = Array.from({ length: 30 }, () => [
        Math.round(r() * 5),
        Math.round(r() * 5),
        Math.round(r() * 5),
      ]);
      const expected: number[] = [];
      Y.forEach((y, i) => {
        const beaten = Y.some(
          (z, k) =>
            (z.every((v, j) => v >= y[j]!) && z.some((v, j) => v > y[j]!)) ||
            (k < i && z.every((v, j) => v === y[j]!)),
        );
        if (!beaten) expected.push(i);
      });
      assert.deepEqual(paretoFront(Y), expected);
    }
  });
});

describe('hypervolume', () => {
  test('matches brute-force inclusion–exclusion for n ≤ 12, m = 2…5', () => {
    const r = rng(11);
    for (let m = 2; m <= 5; m++) {
      for (let trial = 0; trial < 6; trial++) {
        const n = 1 + Math.floor(r() * 12);
        const Y = randomPoints(r, n, m);
        const ref = Array.from({ length: m }, () => -0.2);
        const expected = bruteForceHV(Y, ref);
        assert.ok(
          Math.abs(hypervolume(Y, ref) - expected) <= 1e-12 * Math.max(1, expected),
          `m=${m} n=${n}`,
        );
      }
    }
  });

  test('BoTorch unit-test values (test_hypervolume.py)', () => {
    const Y = [
      [8.5, 3.0],
      [8.5, 3.5],
      [5.0, 5.0],
      [9.0, 1.0],
      [4.0, 5.0],
    ];
    assert.ok(Math.abs(hypervolume(Y, [0, 0]) - 37.75) < 1e-12);
    assert.ok(Math.abs(hypervolume(Y, [1.0, 0.5]) - 28.75) < 1e-12);
    const Y3 = [
      [-1, 0, 0],
      [0, -1, 0],
      [0, 0, -1],
    ];
    assert.ok(Math.abs(hypervolume(Y3, [-2.1, -2.5, -2.3]) - 11.075) < 1e-12);
    const Y4 = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? -1 : 0)));
    assert.ok(Math.abs(hypervolume(Y4, [-2.1, -2.5, -2.3, -2.0]) - 23.15) < 1e-12);
  });

  test('closed forms: 2D staircase, 3D simplex lattice, unit vectors plus dominated points', () => {
    for (const n of [1, 3, 10, 50]) {
      const stairs: number[][] = [];
      for (let i = 0; i < n; i++) stairs.push([-i, -(n - 1 - i)], [-i, -(n - i)]);
      assert.equal(hypervolume(stairs, [-n, -n]), n * n - (n * (n - 1)) / 2);
    }
    for (const n of [1, 4, 12]) {
      const lattice: number[][] = [];
      for (let x = 0; x < n; x++)
        for (let y = 0; x + y < n; y++) lattice.push([-x, -y, -(n - 1 - x - y)]);
      assert.ok(
        Math.abs(hypervolume(lattice, [-n, -n, -n]) - (n ** 3 - ((n - 1) * n * (n + 1)) / 6)) <
          1e-9,
      );
    }
    const r = rng(5);
    for (let m = 2; m <= 5; m++) {
      const Y: number[][] = [0, 1, 2, 3, 4]
        .slice(0, m)
        .map((i) => Array.from({ length: m }, (_, j) => (i === j ? -1 : 0)));
      for (let k = 0; k < 20; k++)
        Y.push(Array.from({ length: m }, () => -(1 + Math.floor(r() * 9))));
      assert.ok(Math.abs(hypervolume(Y, Array(m).fill(-10)) - (10 ** m - 1)) < 1e-6 * 10 ** m);
    }
  });

  test('invariant to permutation and duplicates; monotone when points are added', () => {
    const r = rng(8);
    for (let m = 2; m <= 5; m++) {
      const Y = randomPoints(r, 15, m);
      const ref = Array(m).fill(-0.2);
      const hv = hypervolume(Y, ref);
      const shuffled = Y.map((y) => [r(), y] as const)
        .sort((a, b) => a[0] - b[0])
        .map((p) => p[1]);
      assert.ok(Math.abs(hypervolume(shuffled, ref) - hv) < 1e-12);
      assert.ok(Math.abs(hypervolume([...Y, ...Y.slice(0, 5)], ref) - hv) < 1e-12);
      let previous = 0;
      for (let k = 1; k <= Y.length; k++) {
        const current = hypervolume(Y.slice(0, k), ref);
        assert.ok(current >= previous - 1e-15);
        previous = current;
      }
    }
  });

  test('points not above the reference point contribute nothing', () => {
    assert.equal(hypervolume([[1, 0]], [0, 0]), 0);
    assert.equal(hypervolume([], [0, 0]), 0);
    assert.equal(hypervolume([[2, 3]], [1, 1]), 2);
  });
});

describe('hypervolume improvement and box decomposition', () => {
  test('BoTorch qEHVI unit-test values (test_monte_carlo.py)', () => {
    const front = [
      [4, 5],
      [5, 5],
      [8.5, 3.5],
      [8.5, 3],
      [9, 1],
    ];
    const cases: [number[][], number][] = [
      [[[6.5, 4.5]], 1.5],
      [
        [
          [6.5, 4.5],
          [7, 4],
        ],
        1.75,
      ],
      [
        [
          [6.5, 4.5],
          [6, 4],
        ],
        1.5,
      ],
      [
        [
          [6.5, 4.5],
          [6, 6],
        ],
        8.0,
      ],
      [
        [
          [6.5, 4.5],
          [9, 2],
        ],
        2.0,
      ],
      [
        [
          [6.5, 4.5],
          [9, 2],
          [7, 4],
        ],
        2.25,
      ],
      [
        [
          [6.5, 4.5],
          [9, 2],
          [7, 5],
        ],
        3.5,
      ],
    ];
    for (const [newPoints, expected] of cases) {
      assert.ok(Math.abs(hypervolumeImprovement(newPoints, front, [0, 0]) - expected) < 1e-12);
    }
  });

  test('box decomposition gives the exact single-point improvement for m = 2…4', () => {
    const r = rng(21);
    for (let m = 2; m <= 4; m++) {
      for (let trial = 0; trial < 5; trial++) {
        const Y = randomPoints(r, 4 + Math.floor(r() * 12), m);
        const ref = Array(m).fill(-0.2);
        const boxes = nonDominatedBoxes(Y, ref);
        for (const b of boxes) {
          b.lower.forEach((l, j) => {
            assert.ok(l < b.upper[j]!);
          });
        }
        for (let k = 0; k < 20; k++) {
          const y = Array.from({ length: m }, () => -0.3 + 1.6 * r());
          const expected = hypervolumeImprovement([y], Y, ref);
          const got = hypervolumeImprovementFromBoxes(y, boxes);
          assert.ok(Math.abs(got - expected) < 1e-12, `m=${m}: ${got} vs ${expected}`);
        }
      }
    }
  });

  test('2D decomposition has exactly n + 1 cells', () => {
    const front = [
      [1, 4],
      [2, 3],
      [3, 1],
    ];
    assert.equal(nonDominatedBoxes(front, [0, 0]).length, 4);
  });
});

describe('referencePoint', () => {
  test('user point wins; else nadir − 0.1·range of the Pareto front', () => {
    assert.deepEqual(referencePoint([[1, 2]], [0, 0]), [0, 0]);
    const Y = [
      [1, 4],
      [3, 2],
      [0, 0],
    ];
    const ref = referencePoint(Y);
    assert.ok(Math.abs(ref[0]! - 0.8) < 1e-12 && Math.abs(ref[1]! - 1.8) < 1e-12);
    const single = referencePoint([[2, 0]]);
    assert.ok(single[0]! < 2 && single[1]! < 0);
  });
});
