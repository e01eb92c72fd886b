/**
 * Element types of the safetensors format and their conversion to and from float32.
 * Byte order is little-endian, as the format requires (F32 goes through typed arrays, which assumes
 * a little-endian host: every platform Node ships for is).
 */

/** dtypes we can decode (to float32); the 64-bit integers lose precision above 2^24. */
export const DTYPE_SIZES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;

export type ReadableDtype = keyof typeof DTYPE_SIZES;
/** dtypes we write. */
export type WritableDtype = 'F32' | 'F16' | 'BF16';

export function isReadableDtype(dtype: unknown): dtype is ReadableDtype {
  return typeof dtype === 'string' && Object.hasOwn(DTYPE_SIZES, dtype);
}

const f32 = new Float32Array(1);
// Int32, not Uint32: the bit helpers then only ever see small integers (unboxed, fast in V8).
const i32 = new Int32Array(f32.buffer);

/** IEEE half → float (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const tables: Partial<Record<'F16' | 'BF16', Float32Array>> = {};

/**
 * The float32 value of every 16-bit code of `dtype` (256 KiB, built once): decoding through it is
 * one indexed load per element, which streaming fusion needs to keep up with the disk.
 */
export function float32Table(dtype: 'F16' | 'BF16'): Float32Array {
  let table = tables[dtype];
  if (!table) {
    table = new Float32Array(65536);
    if (dtype === 'F16') for (let h = 0; h < 65536; h++) table[h] = halfToFloat(h);
    else {
      const bits = new Uint32Array(table.buffer);
      for (let h = 0; h < 65536; h++) bits[h] = h << 16;
    }
    tables[dtype] = table;
  }
  return table;
}

/** float32 → IEEE half, round to nearest even; overflow gives ±Infinity, NaN stays NaN. */
export function floatToHalf(x: number): number {
  f32[0] = x;
  return halfFromFloatBits(i32[0]);
}

/** float32 → bfloat16 bits, round to nearest even; NaN stays NaN. */
export function floatToBfloat16(x: number): number {
  f32[0] = x;
  return bfloat16FromFloatBits(i32[0]);
}

/**
 * The half bits of the float32 with bit pattern `bits` (an int32), round to nearest even, with no
 * calls and few branches (fusion encodes gigabytes through here). Normal halves: rebias the
 * exponent and round the 13 dropped mantissa bits by adding 0xfff plus the kept lowest bit (a carry
 * rolls into the exponent, up to Infinity). Subnormal halves: adding 0.5 in float32 arithmetic
 * aligns the value to units of 2^-24 with the FPU's own round to nearest even.
 */
function halfFromFloatBits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs >= HALF_OVERFLOW_BITS) return sign | (abs > FLOAT_INFINITY_BITS ? 0x7e00 : 0x7c00);
  if (abs < SMALLEST_NORMAL_HALF_BITS) {
    i32[0] = abs;
    f32[0] += 0.5;
    return sign | (i32[0] - FLOAT_HALF_BITS);
  }
  return sign | ((abs - REBIAS + 0xfff + ((abs >>> 13) & 1)) >>> 13);
}

const FLOAT_INFINITY_BITS = 0x7f800000;
/** 2^16 as float32: at and above it (after rounding, 65520) a half is Infinity. */
const HALF_OVERFLOW_BITS = (127 + 16) << 23;
/** 2^-14, the smallest normal half. */
const SMALLEST_NORMAL_HALF_BITS = (127 - 14) << 23;
const FLOAT_HALF_BITS = 0x3f000000;
/** float32 exponent bias minus the half's, in exponent-field units. */
const REBIAS = (127 - 15) << 23;

function bfloat16FromFloatBits(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 0x40) & 0xffff;
  return (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
}

/** Decodes `count` elements of `dtype` from little-endian `bytes` into float32. */
export function decodeToFloat32(
  bytes: Uint8Array,
  dtype: ReadableDtype,
  count: number,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      // A copy into a fresh buffer is aligned whatever the header length was.
      out.set(new Float32Array(new Uint8Array(bytes).buffer, 0, count));
      break;
    case 'F16':
    case 'BF16': {
      const table = float32Table(dtype);
      for (let i = 0; i < count; i++) out[i] = table[view.getUint16(2 * i, true)];
      break;
    }
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'U8':
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
  }
  return out;
}

/** Encodes float32 values as little-endian `dtype` bytes. */
export function encodeFloat32(values: Float32Array, dtype: WritableDtype): Uint8Array {
  if (dtype === 'F32') {
    return new Uint8Array(
      values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
    );
  }
  return encodeFloat32Into(values, dtype, new Uint16Array(values.length));
}

/** Encodes float32 values as 16-bit `dtype` codes into `out` (at least as long), returning its bytes. */
function encodeFloat32Into(
  values: Float32Array,
  dtype: 'F16' | 'BF16',
  out: Uint16Array,
): Uint8Array {
  // Integer work on the float32 bit patterns (as int32: small integers stay unboxed in V8), one
  // monomorphic loop per dtype: fusion encodes gigabytes through here.
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  if (dtype === 'F16') for (let i = 0; i < bits.length; i++) out[i] = halfFromFloatBits(bits[i]);
  else for (let i = 0; i < bits.length; i++) out[i] = bfloat16FromFloatBits(bits[i]);
  return new Uint8Array(out.buffer, out.byteOffset, 2 * values.length);
}
