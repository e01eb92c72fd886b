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
const u32 = new Uint32Array(f32.buffer);

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
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): value = m · 2^-24 with m = round(full mantissa · 2^(e-1) / 2^13).
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(full, shift);
  }
  // Rounding may carry into the exponent, which correctly yields the next binade or Infinity.
  return sign | ((e << 10) + roundShift(mant, 13));
}

/** float32 → bfloat16 bits, round to nearest even; NaN stays NaN. */
export function floatToBfloat16(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 0x40) & 0xffff;
  return (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
}

function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && kept & 1) ? kept + 1 : kept;
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
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  const convert = dtype === 'F16' ? floatToHalf : floatToBfloat16;
  for (let i = 0; i < values.length; i++) view.setUint16(2 * i, convert(values[i]), true);
  return out;
}
