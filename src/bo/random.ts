/**
 * A small seeded pseudo-random generator for reproducible designs, restarts and scrambles:
 * xoshiro128** (Blackman & Vigna 2018; 128-bit state, period 2^128 − 1), seeded through
 * splitmix32 so that nearby integer seeds give unrelated streams. Not for cryptography.
 */

/** splitmix32 step: a well-mixed 32-bit value from a counter (used only for seeding). */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** Seeded generator; every method advances the same stream. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed - any finite number; non-integers are truncated, negatives wrap to 32 bits. */
  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new Error(`Random: seed must be a finite number, got ${seed}`);
    // Mix both 32-bit halves of larger integer seeds, so that e.g. 1 and 2^32 + 1 differ.
    let st = (Math.trunc(seed) | 0) ^ Math.trunc(seed / 2 ** 32);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st);
      st = next;
      words.push(out);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is absorbing
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal draw (Box–Muller; 1 − u avoids log 0). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
