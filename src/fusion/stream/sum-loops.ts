/**
 * The arithmetic of streaming fusion: acc[i] = Σ_k w_k · x_k[i] over a range of elements, in
 * float64, members added one after another in order (so the bits do not depend on how the
 * elements are split into blocks, ranges or threads). `sumLoops` references nothing outside
 * itself: worker threads run it from its source text (sum-pool.ts), the main thread directly.
 */

/** Member values: 16-bit float codes (decoded through `table`), or float32/float64 values. */
export type MemberValues = Uint16Array | Float32Array | Float64Array;

export interface SumLoops {
  /**
   * acc[from, to) = Σ_k w[k] · values[k][from, to); `table` decodes 16-bit codes (null for
   * float32/float64 members).
   */
  sumRange(
    acc: Float64Array,
    values: MemberValues[],
    w: number[],
    table: Float32Array | null,
    from: number,
    to: number,
  ): void;
}

export function sumLoops(): SumLoops {
  /** Elements summed over all members before moving on: acc's slice stays in cache. */
  const CACHE_ELEMENTS = 4096;

  // Four members per pass: a quarter of the loads and stores of acc; the same roundings as four
  // single passes (left to right). One loop per kind of input keeps each loop monomorphic.
  function codes4(
    acc: Float64Array,
    v: Uint16Array[],
    w: number[],
    table: Float32Array,
    k: number,
    from: number,
    to: number,
  ): void {
    const a = v[k]!;
    const b = v[k + 1]!;
    const c = v[k + 2]!;
    const d = v[k + 3]!;
    const [w0, w1, w2, w3] = [w[k]!, w[k + 1]!, w[k + 2]!, w[k + 3]!];
    for (let i = from; i < to; i++) {
      acc[i] =
        acc[i]! + w0 * table[a[i]!]! + w1 * table[b[i]!]! + w2 * table[c[i]!]! + w3 * table[d[i]!]!;
    }
  }

  function codes1(
    acc: Float64Array,
    a: Uint16Array,
    w0: number,
    table: Float32Array,
    from: number,
    to: number,
  ): void {
    for (let i = from; i < to; i++) acc[i] = acc[i]! + w0 * table[a[i]!]!;
  }

  function floats4(
    acc: Float64Array,
    v: (Float32Array | Float64Array)[],
    w: number[],
    k: number,
    from: number,
    to: number,
  ): void {
    const a = v[k]!;
    const b = v[k + 1]!;
    const c = v[k + 2]!;
    const d = v[k + 3]!;
    const [w0, w1, w2, w3] = [w[k]!, w[k + 1]!, w[k + 2]!, w[k + 3]!];
    for (let i = from; i < to; i++) {
      acc[i] = acc[i]! + w0 * a[i]! + w1 * b[i]! + w2 * c[i]! + w3 * d[i]!;
    }
  }

  function floats1(
    acc: Float64Array,
    a: Float32Array | Float64Array,
    w0: number,
    from: number,
    to: number,
  ): void {
    for (let i = from; i < to; i++) acc[i] = acc[i]! + w0 * a[i]!;
  }

  return {
    sumRange(acc, values, w, table, from, to) {
      const n = values.length;
      for (let lo = from; lo < to; lo += CACHE_ELEMENTS) {
        const hi = Math.min(lo + CACHE_ELEMENTS, to);
        acc.fill(0, lo, hi);
        let k = 0;
        if (table) {
          const codes = values as Uint16Array[];
          for (; k + 4 <= n; k += 4) codes4(acc, codes, w, table, k, lo, hi);
          for (; k < n; k++) codes1(acc, codes[k]!, w[k]!, table, lo, hi);
        } else {
          const floats = values as (Float32Array | Float64Array)[];
          for (; k + 4 <= n; k += 4) floats4(acc, floats, w, k, lo, hi);
          for (; k < n; k++) floats1(acc, floats[k]!, w[k]!, lo, hi);
        }
      }
    },
  };
}
