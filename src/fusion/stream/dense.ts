/**
 * Σ_k w_k θ_k written tensor by tensor: the output keeps the first member's shard layout (one
 * file, or the same shards plus a fresh `model.safetensors.index.json`) and dtypes.
 */
import * as path from 'node:path';
import { writeFileDurable } from './io';
import { CHUNK_ELEMENTS, FusionKernel, isFloatDtype } from './kernel';
import { type MemberLayout, SHARD_INDEX } from './layout';
import { planTensors, type TensorJob } from './plan';
import { type OutputTensor, SafetensorsStreamWriter, tensorBytes } from './writer';

/** Writes the weighted average of `members` into `outDir` under the first member's file names. */
export function writeFusedWeights(
  members: MemberLayout[],
  weights: number[],
  outDir: string,
): void {
  const jobs = planTensors(members);
  const first = members[0]!;
  const byShard = new Map<string, TensorJob[]>();
  for (const job of jobs) {
    const shard = first.shardOf.get(job.name)!;
    byShard.set(shard, [...(byShard.get(shard) ?? []), job]);
  }
  const kernel = new FusionKernel();
  try {
    for (const [shard, shardJobs] of byShard) {
      writeFusedFile(kernel, shardJobs, weights, path.join(outDir, shard), first.metadata);
    }
  } finally {
    kernel.close();
  }
  if (first.kind === 'sharded') {
    const weightMap = Object.fromEntries(jobs.map((j) => [j.name, first.shardOf.get(j.name)!]));
    const totalSize = jobs.reduce((sum, j) => sum + tensorBytes(j.sources[0]!.entry), 0);
    const index = { metadata: { total_size: totalSize }, weight_map: weightMap };
    writeFileDurable(path.join(outDir, SHARD_INDEX), `${JSON.stringify(index, null, 2)}\n`);
  }
}

/** One output safetensors file holding the fused `jobs`, written front to back. */
export function writeFusedFile(
  kernel: FusionKernel,
  jobs: TensorJob[],
  weights: number[],
  file: string,
  metadata: Record<string, string>,
): void {
  const tensors: OutputTensor[] = jobs.map((j) => ({
    name: j.name,
    dtype: j.sources[0]!.entry.dtype,
    shape: j.sources[0]!.entry.shape,
  }));
  const writer = new SafetensorsStreamWriter(file, tensors, metadata);
  try {
    for (const job of jobs) writeFusedTensor(kernel, job, weights, (bytes) => writer.write(bytes));
    writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/**
 * Streams one tensor's weighted sum a chunk at a time. Integer tensors (e.g. `position_ids`
 * buffers) are not parameters: they are copied from the first member.
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
    if (isFloatDtype(dtype)) {
      kernel.weightedSum(job.sources, weights, start, count);
      write(kernel.encode(dtype, count));
    } else {
      write(kernel.readRaw(job.sources[0]!, start, count));
    }
  }
}
