// float32 → F16/BF16 rounding, exhaustively at the decision points: every finite half round
// trips, every midpoint between neighbouring halves goes to the even one, and a float32 step to
// either side of it goes to the nearer one; BF16 against a rounding written in plain arithmetic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floatToBfloat16, floatToHalf, halfToFloat } from '../../../src/train/safetensors-dtypes';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The float32 next to `x` towards +Infinity (x > 0) or 0 (x < 0): one bit-pattern step. */
function step(x: number, direction: 1 | -1): number {
  f32[0] = x;
  u32[0] += direction;
  return f32[0];
}

// Catches: rounding that truncates, ties to away, a carry lost at a binade edge, subnormals
// shifted by one, 65520 not overflowing to Infinity.
test('F16: every half round-trips and every midpoint rounds to even', () => {
  for (const sign of [0, 0x8000]) {
    for (let h = 0; h <= 0x7bff; h++) {
      const code = sign | h;
      assert.equal(floatToHalf(halfToFloat(code)), code);
      // Past 65504 the next step would be 2^16: values from the midpoint 65520 on overflow.
      const next = h === 0x7bff ? 65536 : halfToFloat(h + 1);
      const mid = (halfToFloat(h) + next) / 2; // exact in float32 (12 significant bits)
      const even = h % 2 === 0 ? h : h + 1;
      const s = sign ? -1 : 1;
      if (floatToHalf(s * mid) !== (sign | even)) assert.fail(`midpoint above ${h}`);
      if (floatToHalf(s * step(mid, -1)) !== (sign | h)) assert.fail(`below midpoint ${h}`);
      if (floatToHalf(s * step(mid, 1)) !== (sign | (h + 1))) assert.fail(`above midpoint ${h}`);
    }
  }
  assert.equal(floatToHalf(Number.POSITIVE_INFINITY), 0x7c00);
  assert.equal(floatToHalf(Number.NEGATIVE_INFINITY), 0xfc00);
  assert.equal(floatToHalf(1e10), 0x7c00);
  assert.equal(floatToHalf(Number.NaN) & 0x7e00, 0x7e00);
  assert.equal(floatToHalf(1e-10), 0);
  assert.equal(floatToHalf(-1e-10), 0x8000);
});

// Catches: BF16 rounding that truncates or breaks ties away from even.
test('BF16: random float32 patterns round to the nearer neighbour, ties to even', () => {
  let s = 12345;
  for (let n = 0; n < 200000; n++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    u32[0] = n < 1000 ? (s & 0xffff0000) | 0x8000 : s; // the first thousand are exact ties
    const x = f32[0];
    if (!Number.isFinite(x) || Math.abs(x) >= 3.3e38) continue;
    const lowerBits = u32[0] & 0xffff0000;
    u32[0] = lowerBits;
    const lower = f32[0];
    u32[0] = lowerBits + 0x10000;
    const upper = f32[0];
    const [dl, du] = [Math.abs(x - lower), Math.abs(upper - x)];
    const lowerCode = lowerBits >>> 16;
    const want = dl < du ? lowerCode : du < dl ? lowerCode + 1 : lowerCode + (lowerCode & 1);
    if (floatToBfloat16(x) !== want) assert.fail(`${x}: ${floatToBfloat16(x)} != ${want}`);
  }
});
