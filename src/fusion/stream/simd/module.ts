/**
 * Streaming fusion's WebAssembly SIMD kernels (fuse.c, compiled into fuse-wasm.ts by
 * scripts/build-simd-wasm.mjs) and the shared memory they work in. Members are read straight into
 * that memory and the sums are written to disk straight from it, so no byte is copied between
 * JavaScript and WebAssembly; worker threads instantiate the same module on the same memory.
 */
import type { ReadableDtype } from '../../../train/safetensors-dtypes';
import { FUSE_WASM_BASE64 } from './fuse-wasm';

/** The dtypes fuse.c sums, with its codes for them. */
const DTYPE_CODES = { F32: 0, F16: 1, BF16: 2, F64: 3 } as const;
export type SummedDtype = keyof typeof DTYPE_CODES;

/** Float tensors, which fusion averages; the others (integer buffers) come from the first member. */
export const isSummedDtype = (dtype: ReadableDtype): dtype is SummedDtype =>
  Object.hasOwn(DTYPE_CODES, dtype);

export const dtypeCode = (dtype: SummedDtype): number => DTYPE_CODES[dtype];

/** fuse.c's entry points; pointers are byte offsets into the shared memory. */
export interface FuseExports {
  // biome-ignore format: mirrors the C signature
  fuse_range(dtype: number, out: number, srcs: number, w: number, k: number, from: number,
    to: number): void;
  // biome-ignore format: mirrors the C signature
  sum_range(dtype: number, acc: number, srcs: number, w: number, k: number, from: number,
    to: number): void;
  encode_range(dtype: number, out: number, acc: number, from: number, to: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module (compiled once per thread; workers receive it already compiled). */
export function fuseModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(FUSE_WASM_BASE64, 'base64'));
  return compiled;
}

export function instantiateFuse(memory: WebAssembly.Memory): FuseExports {
  return new WebAssembly.Instance(fuseModule(), { env: { memory } })
    .exports as unknown as FuseExports;
}

const PAGE = 65536;
/** wasm32's limit, which the module declares: the memory grows on demand up to it. */
const MAX_PAGES = 65536;
/** fuse.c's last step reads and writes up to 7 elements (56 bytes) past a range: room for it. */
const STEP_SLACK = 64;

/** Memories of finished fusions, for the next ones of this process (see FusionMemory.acquire). */
const idle: FusionMemory[] = [];

/** Offset 0 is never handed out, so a forgotten pointer cannot alias a buffer. */
const FIRST_REGION = 64;

/**
 * A shared WebAssembly memory carved into regions for one fusion at a time (a few buffers).
 * Views stay valid when it grows: a shared memory's buffer is never detached.
 */
export class FusionMemory {
  readonly memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  readonly kernels = instantiateFuse(this.memory);
  private top = FIRST_REGION;

  /**
   * A memory for one fusion: one an earlier fusion of this process released, else a new one. V8
   * reserves about 10 GiB of address space per memory until the garbage collector frees it, so a
   * long stage 3 that made a memory per candidate would pile up terabytes of reservations.
   */
  static acquire(): FusionMemory {
    return idle.pop() ?? new FusionMemory();
  }

  /** Hands the memory back for the next fusion; its regions (and every view of them) are void. */
  release(): void {
    this.top = FIRST_REGION;
    idle.push(this);
  }

  /**
   * The byte offset of a new region of `bytes`, aligned to `align` (16 by default; a power of two),
   * with room for fuse.c's last step.
   */
  allocate(bytes: number, align = 16): number {
    const at = Math.ceil(this.top / align) * align;
    this.top = at + Math.ceil((bytes + STEP_SLACK) / 16) * 16;
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    return at;
  }

  bytes(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, offset, length);
  }

  /** A new region holding k member pointers then k float64 weights (for the kernels' `srcs`, `w`). */
  allocateMembers(k: number): MemberTable {
    const w = this.allocate(8 * k);
    const srcs = this.allocate(4 * k);
    return {
      srcs,
      w,
      set: (pointers, weights) => {
        new Uint32Array(this.memory.buffer, srcs, pointers.length).set(pointers);
        new Float64Array(this.memory.buffer, w, weights.length).set(weights);
      },
    };
  }
}

/** Where the kernels find the members of a sum: pointers and weights, written by `set`. */
export interface MemberTable {
  srcs: number;
  w: number;
  set(pointers: readonly number[], weights: readonly number[]): void;
}
