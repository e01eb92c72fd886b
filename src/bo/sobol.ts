/**
 * Sobol low-discrepancy sequences (base 2, 32-bit) with Joe & Kuo's direction numbers, optionally
 * randomized by a linear matrix scramble plus a random digital shift (Matoušek 1998; the same
 * randomization as scipy's `qmc.Sobol(scramble=True)`). Both randomizations are linear maps on
 * the binary digits that keep every (t, m, s)-net property of the unscrambled sequence, while
 * making the points an unbiased, seed-dependent sample.
 *
 * Points are generated in Gray-code order (Antonov & Saleev 1979): x_{i+1} = x_i ⊕ v_c where c is
 * the index of the lowest zero bit of i, so the sequence starts at the origin and its first 2^m
 * points are the same set as in natural order.
 */
import { Random } from './random';
import { SOBOL_DIRECTIONS } from './sobol-directions';

/** Number of binary digits per coordinate (so at most 2^32 points). */
const BITS = 32;
/** Largest supported dimension. */
export const SOBOL_MAX_DIM = SOBOL_DIRECTIONS.length;

/** Options of {@link sobol}. */
export interface SobolOptions {
  /** Randomize with a linear matrix scramble and a digital shift (default false). */
  scramble?: boolean;
  /** Seed of the scramble (default 0); ignored without `scramble`. */
  seed?: number;
  /** Index of the first point returned (default 0), e.g. to continue a design after a restart. */
  skip?: number;
}

/** The 32 direction integers v_1..v_32 (v_k = m_k·2^{32−k}) of one dimension. */
function directionIntegers(dim: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    // First dimension: van der Corput, m_k = 1.
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  const [polyText, mText] = SOBOL_DIRECTIONS[dim].split(':');
  const poly = Number(polyText);
  const s = Math.floor(Math.log2(poly));
  // Inner coefficients a_1..a_{s−1} of the primitive polynomial (without leading and constant term).
  const a = (poly >> 1) & ((1 << (s - 1)) - 1);
  const m = mText.split(',').map(Number);
  // Recurrence (Bratley & Fox 1988): m_k = 2^s m_{k−s} ⊕ m_{k−s} ⊕ ⊕_{i=1}^{s−1} 2^i a_i m_{k−i}.
  for (let k = s; k < BITS; k++) {
    let next = m[k - s] ^ (m[k - s] * 2 ** s);
    for (let i = 1; i < s; i++) {
      if ((a >> (s - 1 - i)) & 1) next ^= m[k - i] * 2 ** i;
    }
    m.push(next);
  }
  // m_k < 2^k, so shifting into the top k bits needs no more than 32 bits.
  for (let k = 0; k < BITS; k++) v[k] = (m[k] * 2 ** (BITS - 1 - k)) >>> 0;
  return v;
}

/** Parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Applies a random lower-triangular binary matrix with unit diagonal to every direction integer.
 * Output digit p (p = 0 most significant) mixes input digits 0..p, so the scramble never moves
 * a point out of its elementary interval of any depth.
 */
function scrambleDirections(v: Uint32Array, rng: Random): Uint32Array {
  const rows = new Uint32Array(BITS);
  for (let p = 0; p < BITS; p++) {
    const above = p === 0 ? 0 : (~0 << (BITS - p)) >>> 0; // digits 0..p−1
    rows[p] = ((rng.nextUint32() & above) | (1 << (BITS - 1 - p))) >>> 0;
  }
  return v.map((vk) => {
    let out = 0;
    for (let p = 0; p < BITS; p++) if (parity(vk & rows[p])) out |= 1 << (BITS - 1 - p);
    return out >>> 0;
  });
}

/**
 * The first n points of a d-dimensional Sobol sequence.
 * @param n - number of points, 0 ≤ n ≤ 2^32 (balance properties hold for powers of 2).
 * @param d - dimension, 1 ≤ d ≤ {@link SOBOL_MAX_DIM}.
 * @returns (n, d) points in [0,1)^d; unscrambled, point 0 is the origin (standard Joe–Kuo sequence).
 */
export function sobol(n: number, d: number, opts: SobolOptions = {}): number[][] {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** BITS)
    throw new Error(`sobol: n must be an integer in [0, 2^32], got ${n}`);
  if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIM) {
    throw new Error(`sobol: d must be an integer in [1, ${SOBOL_MAX_DIM}], got ${d}`);
  }
  const skip = opts.skip ?? 0;
  if (!Number.isInteger(skip) || skip < 0 || skip + n > 2 ** BITS) {
    throw new Error(`sobol: skip must be an integer with skip + n ≤ 2^32, got ${skip}`);
  }
  const rng = opts.scramble ? new Random(opts.seed ?? 0) : null;
  const dirs: Uint32Array[] = [];
  const state = new Uint32Array(d);
  for (let j = 0; j < d; j++) {
    const v = directionIntegers(j);
    dirs.push(rng ? scrambleDirections(v, rng) : v);
    state[j] = rng ? rng.nextUint32() : 0; // digital shift
  }
  // Point `skip` is the XOR of the directions selected by the bits of its Gray code.
  const gray = (skip ^ Math.floor(skip / 2)) >>> 0;
  for (let c = 0; c < BITS; c++) {
    if (Math.floor(gray / 2 ** c) % 2 === 1) for (let j = 0; j < d; j++) state[j] ^= dirs[j][c];
  }
  const out: number[][] = [];
  for (let i = skip; i < skip + n; i++) {
    out.push(Array.from(state, (s) => s / 2 ** BITS));
    // Gray-code step: flip by the direction of the lowest zero bit of i.
    const c = Math.clz32(~i & (i + 1)) ^ 31;
    for (let j = 0; j < d; j++) state[j] ^= dirs[j][c];
  }
  return out;
}
