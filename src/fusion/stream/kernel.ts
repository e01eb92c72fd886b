/**
 * The inner loop of streaming fusion: weighted sums of K tensors' elements, a chunk at a time,
 * accumulated in float64 and encoded back to the storage dtype. Buffers are allocated once, so
 * memory stays at a few chunks whatever the model's size.
 */
import * as fs from 'node:fs';
import {
  DTYPE_SIZES,
  float32Table,
  floatToBfloat16,
  floatToHalf,
  type ReadableDtype,
} from '../../train/safetensors-dtypes';
import { readExactly } from './io';
import type { TensorSource } from './layout';

/** Elements per chunk: the float64 accumulator (1 MiB) stays in cache across the K members. */
export const CHUNK_ELEMENTS = 1 << 17;

export const isFloatDtype = (dtype: ReadableDtype): boolean =>
  dtype === 'F32' || dtype === 'F16' || dtype === 'BF16' || dtype === 'F64';

export class FusionKernel {
  readonly acc = new Float64Array(CHUNK_ELEMENTS);
  private readonly raw = new Uint8Array(CHUNK_ELEMENTS * 8);
  private readonly out32 = new Float32Array(CHUNK_ELEMENTS);
  private readonly out16 = new Uint16Array(CHUNK_ELEMENTS);
  private readonly fds = new Map<string, number>();

  /** acc[0, count) = Σ_k weights[k] · sources[k][start, start + count). */
  weightedSum(sources: TensorSource[], weights: number[], start: number, count: number): void {
    const acc = this.acc;
    acc.fill(0, 0, count);
    sources.forEach((src, k) => {
      const w = weights[k]!;
      if (w === 0) return; // a zero weight adds nothing: skip its bytes altogether
      addScaled(acc, this.readRaw(src, start, count), src, count, w);
    });
  }

  /** The raw bytes of elements [start, start + count) of a tensor (valid until the next read). */
  readRaw(src: TensorSource, start: number, count: number): Uint8Array {
    const size = DTYPE_SIZES[src.entry.dtype];
    const length = count * size;
    readExactly(
      this.fd(src.file),
      this.raw,
      length,
      src.dataStart + src.entry.dataOffsets[0] + start * size,
      src.file,
      `tensor data`,
    );
    return this.raw.subarray(0, length);
  }

  /** acc[0, count) in `dtype`'s bytes (F32/F16/BF16 round to nearest even; valid until reuse). */
  encode(dtype: ReadableDtype, count: number): Uint8Array {
    if (dtype === 'F64') return new Uint8Array(this.acc.buffer, 0, count * 8);
    const out32 = this.out32.subarray(0, count);
    out32.set(this.acc.subarray(0, count));
    if (dtype === 'F32') return new Uint8Array(out32.buffer, 0, count * 4);
    if (dtype === 'F16' || dtype === 'BF16') {
      const out16 = this.out16;
      const acc = this.acc;
      if (dtype === 'F16') for (let i = 0; i < count; i++) out16[i] = floatToHalf(acc[i]);
      else for (let i = 0; i < count; i++) out16[i] = floatToBfloat16(acc[i]);
      return new Uint8Array(out16.buffer, 0, count * 2);
    }
    throw new Error(`cannot write fused values as ${dtype}`);
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }

  private fd(file: string): number {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      fd = fs.openSync(file, 'r');
      this.fds.set(file, fd);
    }
    return fd;
  }
}

/** acc[i] += w · value i of `bytes` (a fresh, aligned buffer); one tight loop per dtype. */
function addScaled(
  acc: Float64Array,
  bytes: Uint8Array,
  src: TensorSource,
  count: number,
  w: number,
): void {
  const buffer = bytes.buffer;
  switch (src.entry.dtype) {
    case 'F32': {
      const v = new Float32Array(buffer, 0, count);
      for (let i = 0; i < count; i++) acc[i] += w * v[i];
      return;
    }
    case 'F64': {
      const v = new Float64Array(buffer, 0, count);
      for (let i = 0; i < count; i++) acc[i] += w * v[i];
      return;
    }
    case 'F16':
    case 'BF16': {
      const v = new Uint16Array(buffer, 0, count);
      const table = float32Table(src.entry.dtype);
      for (let i = 0; i < count; i++) acc[i] += w * table[v[i]];
      return;
    }
    default:
      throw new Error(`${src.file}: cannot average ${src.entry.dtype} tensors`);
  }
}
