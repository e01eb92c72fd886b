import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BoxDomain,
  SimplexDomain,
  simplexToStickBreaking,
  stickBreakingToSimplex,
} from '../../../src/bo/domain';

/** Van der Corput / Halton points: a deterministic, evenly spread test design. */
function halton(i: number, base: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= base;
    r += f * (i % base);
    i = Math.floor(i / base);
  }
  return r;
}
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19];

describe('BoxDomain', () => {
  const domain = new BoxDomain([
    { name: 'lr', type: 'float', low: 1e-6, high: 1e-3, log: true },
    { name: 'dropout', type: 'float', low: 0, high: 0.5 },
    { name: 'batch', type: 'int', low: 8, high: 128, log: true },
    { name: 'epochs', type: 'int', low: 1, high: 4 },
  ]);

  test('maps the cube corners to the bounds and rounds integers', () => {
    assert.deepEqual(domain.toPoint([0, 0, 0, 0]), [1e-6, 0, 8, 1]);
    const top = domain.toPoint([1, 1, 1, 1]);
    assert.ok(Math.abs(top[0]! - 1e-3) < 1e-15);
    assert.deepEqual(top.slice(1), [0.5, 128, 4]);
    const mid = domain.toPoint([0.5, 0.5, 0.5, 0.5]);
    assert.ok(
      Math.abs(mid[0]! - Math.sqrt(1e-9)) < 1e-12,
      'log scale: midpoint is the geometric mean',
    );
    assert.ok(Number.isInteger(mid[2]) && Number.isInteger(mid[3]));
  });

  test('round-trips points, and integers get equal shares of the cube', () => {
    for (let i = 1; i < 200; i++) {
      const x = [0, 1, 2, 3].map((j) => halton(i, PRIMES[j]!));
      const p = domain.toPoint(x);
      const back = domain.toPoint(domain.fromPoint(p));
      assert.ok(Math.abs(back[0]! - p[0]!) < 1e-12 * p[0]! && Math.abs(back[1]! - p[1]!) < 1e-12);
      assert.deepEqual(back.slice(2), p.slice(2));
    }
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[domain.toPoint([0, 0, 0, (i + 0.5) / 4000])[3]! - 1]!++;
    assert.deepEqual(counts, [1000, 1000, 1000, 1000]);
  });

  test('rejects bad bounds with the parameter name', () => {
    assert.throws(
      () => new BoxDomain([{ name: 'lr', type: 'float', low: 0, high: 1, log: true }]),
      /'lr'/,
    );
    assert.throws(() => new BoxDomain([{ name: 'n', type: 'int', low: 1.5, high: 3 }]), /'n'/);
    assert.throws(() => new BoxDomain([{ name: 'a', type: 'float', low: 2, high: 1 }]), /'a'/);
  });
});

describe('SimplexDomain', () => {
  test('stick-breaking is a bijection between the cube and the simplex', () => {
    for (let i = 1; i < 300; i++) {
      const u = [0, 1, 2, 3].map((j) => halton(i, PRIMES[j]!));
      const w = stickBreakingToSimplex(u);
      assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(w.every((v) => v >= 0));
      const back = simplexToStickBreaking(w);
      for (const [j, v] of back.entries())
        assert.ok(Math.abs(v - u[j]!) < 1e-9, `u=${u} back=${back}`);
    }
  });

  test('uniform designs cover the simplex uniformly (Dirichlet(1) moments), in both parametrizations', () => {
    const K = 5;
    for (const kind of ['stick-breaking', 'bomf-cube'] as const) {
      const domain = new SimplexDomain(K, kind);
      assert.equal(domain.dim, kind === 'stick-breaking' ? K - 1 : K);
      const N = 20000;
      const mean = Array(K).fill(0);
      let maxOverHalf = 0;
      for (let i = 1; i <= N; i++) {
        const u = Array.from({ length: domain.uniformDim }, (_, j) => halton(i, PRIMES[j]!));
        const w = domain.toPoint(domain.fromUniform(u));
        w.forEach((v, j) => {
          mean[j] += v / N;
        });
        if (Math.max(...w) > 0.5) maxOverHalf++;
      }
      for (const v of mean) assert.ok(Math.abs(v - 1 / K) < 0.005, `${kind}: mean ${mean}`);
      // Uniform on the simplex: P(max w > 1/2) = K·2^(1−K) = 0.3125 for K = 5.
      assert.ok(Math.abs(maxOverHalf / N - K * 2 ** (1 - K)) < 0.01, `${kind}: ${maxOverHalf / N}`);
    }
  });

  test("BOMF's cube divides by the sum, guards the origin, and round-trips", () => {
    const domain = new SimplexDomain(3, 'bomf-cube');
    assert.deepEqual(domain.toPoint([0.5, 0.25, 0.25]), [0.5, 0.25, 0.25]);
    assert.deepEqual(domain.toPoint([0, 0, 0]), [1 / 3, 1 / 3, 1 / 3]);
    assert.deepEqual(domain.fromPoint([0.5, 0.25, 0.25]), [1, 0.5, 0.5]);
    assert.deepEqual(domain.toPoint([1, 0.5, 0.5]), [0.5, 0.25, 0.25]);
  });

  test('vertices are reachable and size < 2 is rejected', () => {
    const domain = new SimplexDomain(3);
    assert.deepEqual(domain.toPoint(domain.fromPoint([0, 1, 0])), [0, 1, 0]);
    assert.deepEqual(domain.toPoint([1, 0]), [1, 0, 0]);
    assert.throws(() => new SimplexDomain(1), /size/);
  });
});
