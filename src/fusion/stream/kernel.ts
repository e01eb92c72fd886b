/**
 * Streaming fusion's chunks: members' bytes as values for the sum loops (sum-loops.ts), the sums
 * encoded back to the storage dtype, and the synchronous chunk kernel of LoRA fusion. Buffers are
 * allocated once, so memory stays at a few chunks whatever the model's size.
 */
import {
  DTYPE_SIZES,
  encodeFloat32Into,
  float32Table,
  type ReadableDtype,
} from '../../train/safetensors-dtypes';
import { OpenFiles, readExactly } from './io';
import type { TensorSource } from './layout';
import { type MemberValues, sumLoops } from './sum-loops';

/** Elements per chunk of the synchronous kernel (LoRA adapters): a 1 MiB float64 accumulator. */
export const CHUNK_ELEMENTS = 1 << 17;

export const isFloatDtype = (dtype: ReadableDtype): boolean =>
  dtype === 'F32' || dtype === 'F16' || dtype === 'BF16' || dtype === 'F64';

/** A member's raw little-endian bytes (aligned) as values for the sum loops. */
export function valuesOf(raw: Uint8Array, dtype: ReadableDtype, count: number): MemberValues {
  switch (dtype) {
    case 'F32':
      return new Float32Array(raw.buffer, raw.byteOffset, count);
    case 'F64':
      return new Float64Array(raw.buffer, raw.byteOffset, count);
    case 'F16':
    case 'BF16':
      return new Uint16Array(raw.buffer, raw.byteOffset, count);
    default:
      throw new Error(`cannot average ${dtype} tensors`);
  }
}

/** Encoding buffers for up to `capacity` elements, reused chunk after chunk. */
export class Encoder {
  private readonly out32: Float32Array;
  private readonly out16: Uint16Array;

  constructor(capacity: number) {
    this.out32 = new Float32Array(capacity);
    this.out16 = new Uint16Array(capacity);
  }

  /** acc[0, count) in `dtype`'s bytes (F32/F16/BF16 round to nearest even; valid until reuse). */
  encode(acc: Float64Array, dtype: ReadableDtype, count: number): Uint8Array {
    if (dtype === 'F64') return new Uint8Array(acc.buffer, 0, count * 8);
    const out32 = this.out32.subarray(0, count);
    out32.set(acc.subarray(0, count));
    if (dtype === 'F32') return new Uint8Array(out32.buffer, 0, count * 4);
    if (dtype === 'F16' || dtype === 'BF16') return encodeFloat32Into(out32, dtype, this.out16);
    throw new Error(`cannot write fused values as ${dtype}`);
  }
}

/** Chunk by chunk with synchronous reads: what LoRA fusion's reshaping loops need. */
export class FusionKernel {
  readonly acc = new Float64Array(CHUNK_ELEMENTS);
  /** One read buffer per member (made when first needed). */
  private readonly raws: Uint8Array[] = [];
  private readonly loops = sumLoops();
  private readonly encoder = new Encoder(CHUNK_ELEMENTS);
  private readonly files = new OpenFiles();

  /** acc[0, count) = Σ_k weights[k] · sources[k][start, start + count); zero weights are not read. */
  weightedSum(sources: TensorSource[], weights: number[], start: number, count: number): void {
    const active = sources.flatMap((_, k) => (weights[k] === 0 ? [] : [k]));
    const dtype = sources[0]!.entry.dtype;
    const values = active.map((k) =>
      valuesOf(this.readRaw(sources[k]!, start, count, k), dtype, count),
    );
    const table = dtype === 'F16' || dtype === 'BF16' ? float32Table(dtype) : null;
    const w = active.map((k) => weights[k]!);
    this.loops.sumRange(this.acc, values, w, table, 0, count);
  }

  /** The raw bytes of elements [start, start + count) of a tensor (valid until buffer `slot` is read again). */
  readRaw(src: TensorSource, start: number, count: number, slot = 0): Uint8Array {
    const size = DTYPE_SIZES[src.entry.dtype];
    const length = count * size;
    this.raws[slot] ??= new Uint8Array(CHUNK_ELEMENTS * 8);
    readExactly(
      this.files.fd(src.file),
      this.raws[slot],
      length,
      src.dataStart + src.entry.dataOffsets[0] + start * size,
      src.file,
      `tensor data`,
    );
    return this.raws[slot].subarray(0, length);
  }

  /** acc[0, count) in `dtype`'s bytes (valid until the next encode). */
  encode(dtype: ReadableDtype, count: number): Uint8Array {
    return this.encoder.encode(this.acc, dtype, count);
  }

  close(): void {
    this.files.close();
  }
}
