/**
 * Σ_k w_k θ_k written tensor by tensor: the output keeps the first member's shard layout (one
 * file, or the same shards plus a fresh `model.safetensors.index.json`) and dtypes.
 *
 * Each tensor goes through in blocks: one large positional read per member (in the thread pool,
 * all members at once, around the page cache where possible: direct-read.ts), the sum, the
 * write. The next READ_AHEAD blocks are read while this one is summed, and written data is
 * flushed to disk in the background, so the disk and the CPU work at once and the final fsync
 * has little left to do. Memory: READ_AHEAD + 1 blocks of reads and one of sums.
 */
import * as path from 'node:path';
import { DTYPE_SIZES } from '../../train/safetensors-dtypes';
import { DIRECT_ALIGN, directRegionBytes, MemberFiles, readSpan } from './direct-read';
import { writeFileDurable } from './io';
import { CHUNK_ELEMENTS, type FusionKernel } from './kernel';
import { type MemberLayout, SHARD_INDEX } from './layout';
import { planTensors, type TensorJob } from './plan';
import { FusionMemory, isSummedDtype, type MemberTable } from './simd/module';
import { fusionThreads, SumPool } from './sum-pool';
import { type OutputTensor, SafetensorsStreamWriter, tensorBytes } from './writer';

const MiB = 1 << 20;
/**
 * Bytes of reads in memory, all blocks together: what bounds memory whatever K and the model.
 * Unbuffered reads get no read-ahead from the kernel, so each must be large for the disk to
 * stream: 2 MiB per member for K = 8.
 */
const READ_BUDGET = 32 * MiB;
/**
 * Blocks read ahead of the one being summed, so the disk has requests queued while the CPU
 * sums. Two measured no faster than one on the development VM (docs/benchmarks.md), and each
 * costs a set of read buffers.
 */
const READ_AHEAD = 1;
const READ_SETS = READ_AHEAD + 1;
/** Written bytes after which a background flush starts (the previous one finished first). */
const FLUSH_BYTES = 64 * MiB;

/** The largest read from one member (few members): larger gains nothing, costs memory. */
export const MAX_MEMBER_READ_BYTES = 4 * MiB;

/** Bytes read from each member per block: large reads, within the budget (multiple of 8). */
function memberReadBytes(members: number): number {
  const share = READ_BUDGET / READ_SETS / members;
  return Math.max(256 * 1024, Math.min(MAX_MEMBER_READ_BYTES, Math.floor(share / 8) * 8));
}

/** Writes the weighted average of `members` into `outDir` under the first member's file names. */
export async function writeFusedWeights(
  members: MemberLayout[],
  weights: number[],
  outDir: string,
): Promise<void> {
  const jobs = planTensors(members);
  const first = members[0]!;
  const byShard = new Map<string, TensorJob[]>();
  for (const job of jobs) {
    const shard = first.shardOf.get(job.name)!;
    byShard.set(shard, [...(byShard.get(shard) ?? []), job]);
  }
  const reader = new BlockReader(members.length, weights);
  try {
    for (const [shard, shardJobs] of byShard) {
      await writeFusedFile(reader, shardJobs, path.join(outDir, shard), first.metadata);
    }
  } finally {
    await reader.close();
  }
  if (first.kind === 'sharded') {
    const weightMap = Object.fromEntries(jobs.map((j) => [j.name, first.shardOf.get(j.name)!]));
    const totalSize = jobs.reduce((sum, j) => sum + tensorBytes(j.sources[0]!.entry), 0);
    const index = { metadata: { total_size: totalSize }, weight_map: weightMap };
    writeFileDurable(path.join(outDir, SHARD_INDEX), `${JSON.stringify(index, null, 2)}\n`);
  }
}

/** A block of one tensor: elements [start, start + count). */
interface Block {
  job: TensorJob;
  start: number;
  count: number;
}

function* blocksOf(jobs: TensorJob[], readBytes: number): Generator<Block> {
  for (const job of jobs) {
    const { dtype, shape } = job.sources[0]!.entry;
    const total = shape.reduce((a, b) => a * b, 1);
    const per = Math.max(1, Math.floor(readBytes / DTYPE_SIZES[dtype]));
    for (let start = 0; start < total; start += per) {
      yield { job, start, count: Math.min(per, total - start) };
    }
  }
}

/**
 * Reads blocks of all members into one of two buffer sets, and sums them. Reads, sums and output
 * live in the kernels' shared memory, which every summing thread sees without a copy.
 */
class BlockReader {
  readonly readBytes: number;
  private readonly memory = FusionMemory.acquire();
  private readonly pool = new SumPool(fusionThreads(), this.memory);
  /** READ_SETS sets of one read buffer per member: byte offsets in the memory. */
  private readonly sets: number[][];
  private readonly members: MemberTable;
  private readonly out: number;
  private readonly files: MemberFiles;
  private turn = 0;

  constructor(
    members: number,
    private readonly weights: readonly number[],
  ) {
    this.readBytes = memberReadBytes(members);
    const region = directRegionBytes(this.readBytes);
    this.sets = Array.from({ length: READ_SETS }, () =>
      Array.from({ length: members }, () => this.memory.allocate(region, DIRECT_ALIGN)),
    );
    const probe = this.memory.allocate(DIRECT_ALIGN, DIRECT_ALIGN);
    this.files = new MemberFiles(this.memory.bytes(probe, DIRECT_ALIGN));
    this.members = this.memory.allocateMembers(members);
    // A block's output has as many bytes as one member's read.
    this.out = this.memory.allocate(this.readBytes);
  }

  /**
   * Reads a block (every member with a weight, or the first one of an integer tensor). Settles
   * only once every read has, so no read lands in a buffer after a failure was reported.
   */
  async read(block: Block): Promise<(Uint8Array | null)[]> {
    const buffers = this.sets[this.turn++ % READ_SETS]!;
    const { dtype } = block.job.sources[0]!.entry;
    const float = isSummedDtype(dtype);
    const size = DTYPE_SIZES[dtype];
    const length = block.count * size;
    const reads = await Promise.allSettled(
      block.job.sources.map(async (src, k) => {
        if (float ? this.weights[k] === 0 : k > 0) return null;
        const region = this.memory.bytes(buffers[k]!, directRegionBytes(length));
        const position = src.dataStart + src.entry.dataOffsets[0] + block.start * size;
        return readSpan(
          this.files.open(src.file),
          region,
          position,
          length,
          src.file,
          'tensor data',
        );
      }),
    );
    return reads.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
  }

  /** The block's output bytes (valid until the next call). */
  async fuse(block: Block, raws: (Uint8Array | null)[]): Promise<Uint8Array> {
    const { dtype } = block.job.sources[0]!.entry;
    // Integer tensors (e.g. `position_ids` buffers) are not parameters: the first member's.
    if (!isSummedDtype(dtype)) return raws[0]!;
    // Zero weights were not read (null): a member with weight 0 adds nothing.
    const active = raws.flatMap((raw, k) => (raw ? [k] : []));
    this.members.set(
      active.map((k) => raws[k]!.byteOffset),
      active.map((k) => this.weights[k]!),
    );
    await this.pool.fuse(dtype, this.out, this.members, active.length, block.count);
    return this.memory.bytes(this.out, block.count * DTYPE_SIZES[dtype]);
  }

  async close(): Promise<void> {
    this.files.close();
    // The workers are gone before the memory serves another fusion.
    await this.pool.close();
    this.memory.release();
  }
}

/** One output safetensors file holding the fused `jobs`, written front to back. */
async function writeFusedFile(
  reader: BlockReader,
  jobs: TensorJob[],
  file: string,
  metadata: Record<string, string>,
): Promise<void> {
  const tensors: OutputTensor[] = jobs.map((j) => ({
    name: j.name,
    dtype: j.sources[0]!.entry.dtype,
    shape: j.sources[0]!.entry.shape,
  }));
  const writer = new SafetensorsStreamWriter(file, tensors, metadata);
  let flushing: Promise<void> = Promise.resolve();
  let unflushed = 0;
  // Blocks being read, oldest first: on a failure they settle before the files are closed.
  const ahead: { block: Block; raws: Promise<(Uint8Array | null)[]> }[] = [];
  const blocks = blocksOf(jobs, reader.readBytes);
  const readAhead = () => {
    while (ahead.length < READ_AHEAD) {
      const next = blocks.next();
      if (next.done) return;
      const raws = reader.read(next.value);
      // Awaited in turn; marked handled meanwhile, so a failed read waits for its turn to be
      // reported instead of ending the process as an unhandled rejection.
      raws.catch(() => {});
      ahead.push({ block: next.value, raws });
    }
  };
  try {
    readAhead();
    while (ahead.length > 0) {
      const { block, raws } = ahead.shift()!;
      const read = await raws;
      readAhead();
      const bytes = await reader.fuse(block, read);
      writer.write(bytes);
      unflushed += bytes.length;
      if (unflushed >= FLUSH_BYTES) {
        await flushing;
        flushing = writer.flush();
        // Awaited before the next flush or the finish; marked handled meanwhile.
        flushing.catch(() => {});
        unflushed = 0;
      }
    }
    await flushing;
    writer.finish();
  } catch (err) {
    await Promise.allSettled([...ahead.map((a) => a.raws), flushing]);
    writer.abort();
    throw err;
  }
}

/**
 * Streams one tensor's weighted sum a chunk at a time with synchronous reads (LoRA adapters'
 * other tensors). Integer tensors are copied from the first member.
 */
export function writeFusedTensor(
  kernel: FusionKernel,
  job: TensorJob,
  weights: number[],
  write: (bytes: Uint8Array) => void,
): void {
  const { dtype, shape } = job.sources[0]!.entry;
  const total = shape.reduce((a, b) => a * b, 1);
  for (let start = 0; start < total; start += CHUNK_ELEMENTS) {
    const count = Math.min(CHUNK_ELEMENTS, total - start);
    if (isSummedDtype(dtype)) {
      kernel.weightedSum(job.sources, weights, start, count);
      write(kernel.encode(dtype, count));
    } else {
      write(kernel.readRaw(job.sources[0]!, start, count));
    }
  }
}
