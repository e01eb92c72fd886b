/**
 * Streaming fusion's synchronous chunk kernel, for LoRA adapters' tensors: members' chunks are read
 * straight into the WebAssembly kernels' memory (simd/), summed in float64 and encoded back to the
 * storage dtype there. Buffers are allocated once, so memory stays at a few chunks whatever the
 * model's size.
 */
import { DTYPE_SIZES, type ReadableDtype } from '../../train/safetensors-dtypes';
import { OpenFiles, readExactly } from './io';
import type { TensorSource } from './layout';
import {
  dtypeCode,
  FusionMemory,
  isSummedDtype,
  type MemberTable,
  type SummedDtype,
} from './simd/module';

/** Elements per chunk: a 1 MiB float64 accumulator. */
export const CHUNK_ELEMENTS = 1 << 17;

/** `dtype` as one the kernels sum; integer tensors are copied, never averaged. */
function summedDtype(dtype: ReadableDtype): SummedDtype {
  if (!isSummedDtype(dtype)) throw new Error(`cannot average ${dtype} tensors`);
  return dtype;
}

/** Chunk by chunk with synchronous reads: what LoRA fusion's reshaping loops need. */
export class FusionKernel {
  private readonly memory = FusionMemory.acquire();
  private readonly accAt = this.memory.allocate(CHUNK_ELEMENTS * 8);
  /** The float64 sums of the last `weightedSum`, or values that loops put there to `encode`. */
  readonly acc = new Float64Array(this.memory.memory.buffer, this.accAt, CHUNK_ELEMENTS);
  private readonly outAt = this.memory.allocate(CHUNK_ELEMENTS * 4);
  /** One read buffer per member slot (made when first needed). */
  private readonly raws: number[] = [];
  private members: { table: MemberTable; capacity: number } | undefined;
  private readonly files = new OpenFiles();

  /** acc[0, count) = Σ_k weights[k] · sources[k][start, start + count); zero weights are not read. */
  weightedSum(sources: TensorSource[], weights: number[], start: number, count: number): void {
    const dtype = summedDtype(sources[0]!.entry.dtype);
    const active = sources.flatMap((_, k) => (weights[k] === 0 ? [] : [k]));
    for (const k of active) this.readRaw(sources[k]!, start, count, k);
    if (!this.members || this.members.capacity < active.length) {
      this.members = { table: this.memory.allocateMembers(active.length), capacity: active.length };
    }
    const { table } = this.members;
    table.set(
      active.map((k) => this.raws[k]!),
      active.map((k) => weights[k]!),
    );
    this.memory.kernels.sum_range(
      dtypeCode(dtype),
      this.accAt,
      table.srcs,
      table.w,
      active.length,
      0,
      count,
    );
  }

  /** The raw bytes of elements [start, start + count) of a tensor (valid until buffer `slot` is read again). */
  readRaw(src: TensorSource, start: number, count: number, slot = 0): Uint8Array {
    const size = DTYPE_SIZES[src.entry.dtype];
    const length = count * size;
    this.raws[slot] ??= this.memory.allocate(CHUNK_ELEMENTS * 8);
    const buffer = this.memory.bytes(this.raws[slot], length);
    readExactly(
      this.files.fd(src.file),
      buffer,
      length,
      src.dataStart + src.entry.dataOffsets[0] + start * size,
      src.file,
      `tensor data`,
    );
    return buffer;
  }

  /** acc[0, count) in `dtype`'s bytes, rounded to nearest even (valid until the next encode). */
  encode(dtype: ReadableDtype, count: number): Uint8Array {
    const summed = summedDtype(dtype);
    if (summed === 'F64') return this.memory.bytes(this.accAt, count * 8);
    this.memory.kernels.encode_range(dtypeCode(summed), this.outAt, this.accAt, 0, count);
    return this.memory.bytes(this.outAt, count * DTYPE_SIZES[summed]);
  }

  close(): void {
    this.files.close();
    this.memory.release();
  }
}
