/**
 * Exact fusion of PEFT LoRA adapters: the rank-K·r adapter [w_1 B_1 | … | w_K B_K]·[A_1; …; A_K]
 * (lora-config.ts explains α), or on request the merged dense deltas Σ_k w_k s B_k A_k per module.
 * Other tensors of an adapter (biases, modules_to_save) are averaged like full checkpoints.
 */
import * as path from 'node:path';
import { DTYPE_SIZES, decodeToFloat32 } from '../../train/safetensors-dtypes';
import { writeFusedTensor } from './dense';
import { writeFileDurable } from './io';
import { CHUNK_ELEMENTS, FusionKernel } from './kernel';
import { ADAPTER_CONFIG, ADAPTER_FILE, type MemberLayout, type TensorSource } from './layout';
import { fusedAdapterConfig, type LoraSettings, loraSettings, moduleScale } from './lora-config';
import { planTensors, type TensorJob } from './plan';
import { type OutputTensor, SafetensorsStreamWriter } from './writer';

/** `…lora_A.weight`, `…lora_A.<adapter>.weight`, `…lora_embedding_A[.<adapter>]` and the B's. */
const LORA_FACTOR = /^(.*)\.lora_(embedding_)?([AB])(\.[^.]+)?$/;

interface LoraPair {
  module: string;
  embedding: boolean;
  a: TensorJob;
  b: TensorJob;
}

/** Writes the fused rank-K·r adapter (members with weight 0 are left out). */
export function writeFusedAdapter(
  members: MemberLayout[],
  weights: number[],
  outDir: string,
): void {
  const active = members.map((_, k) => k).filter((k) => weights[k]! > 0);
  const settings = settingsOf(members);
  const { pairs, others } = splitAdapter(planTensors(active.map((k) => members[k]!)));
  const w = active.map((k) => weights[k]!);
  const K = active.length;
  const tensors: OutputTensor[] = [];
  for (const { a, b } of pairs) {
    const [ea, eb] = [a.sources[0]!.entry, b.sources[0]!.entry];
    tensors.push({
      name: a.name,
      dtype: ea.dtype,
      shape: [ea.shape[0]! * K, ...ea.shape.slice(1)],
    });
    tensors.push({
      name: b.name,
      dtype: eb.dtype,
      shape: [eb.shape[0]!, eb.shape[1]! * K, ...eb.shape.slice(2)],
    });
  }
  for (const job of others) tensors.push({ name: job.name, ...job.sources[0]!.entry });
  const kernel = new FusionKernel();
  const writer = new SafetensorsStreamWriter(
    path.join(outDir, ADAPTER_FILE),
    tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    members[0]!.metadata,
  );
  try {
    for (const { a, b } of pairs) {
      for (const src of a.sources) copyTensor(kernel, src, (bytes) => writer.write(bytes));
      writeConcatenatedB(kernel, b, w, (bytes) => writer.write(bytes));
    }
    for (const job of others) writeFusedTensor(kernel, job, w, (bytes) => writer.write(bytes));
    writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    kernel.close();
  }
  const config = fusedAdapterConfig(
    members[0]!.adapterConfig!,
    settings,
    K,
    configFile(members[0]!),
  );
  writeFileDurable(path.join(outDir, ADAPTER_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Writes `lora_deltas.safetensors`: for each adapted module, ΔW = Σ_k w_k s B_k A_k under the base
 * model's weight name (`base_model.model.` stripped, `.weight` appended; transposed for embeddings
 * and fan_in_fan_out layers, as PEFT merges them), and the averaged other tensors.
 */
export function writeMergedLoraDeltas(
  members: MemberLayout[],
  weights: number[],
  outDir: string,
): void {
  const settings = settingsOf(members);
  const { pairs, others } = splitAdapter(planTensors(members));
  const baseName = (name: string) => name.replace(/^base_model\.model\./, '');
  const tensors: OutputTensor[] = pairs.map((p) => {
    const [ea, eb] = [p.a.sources[0]!.entry, p.b.sources[0]!.entry];
    if (ea.shape.length !== 2 || eb.shape.length !== 2) {
      throw new Error(
        `${p.a.sources[0]!.file}: cannot merge '${p.module}' (only 2-d LoRA factors, not convolutions)`,
      );
    }
    const transposed = p.embedding || settings.fanInFanOut;
    const shape = transposed ? [ea.shape[1]!, eb.shape[0]!] : [eb.shape[0]!, ea.shape[1]!];
    return { name: `${baseName(p.module)}.weight`, dtype: eb.dtype, shape };
  });
  for (const job of others) tensors.push({ ...job.sources[0]!.entry, name: baseName(job.name) });
  const kernel = new FusionKernel();
  const writer = new SafetensorsStreamWriter(
    path.join(outDir, 'lora_deltas.safetensors'),
    tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    { format: 'pt' },
  );
  try {
    for (const p of pairs) {
      const transposed = p.embedding || settings.fanInFanOut;
      writeDelta(kernel, p, weights, settings, transposed, (bytes) => writer.write(bytes));
    }
    for (const job of others)
      writeFusedTensor(kernel, job, weights, (bytes) => writer.write(bytes));
    writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    kernel.close();
  }
}

function settingsOf(members: MemberLayout[]): LoraSettings {
  return loraSettings(
    members.map((m) => m.adapterConfig!),
    members.map(configFile),
  );
}

const configFile = (m: MemberLayout) => path.join(m.dir!, ADAPTER_CONFIG);

function splitAdapter(jobs: TensorJob[]): { pairs: LoraPair[]; others: TensorJob[] } {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const pairs: LoraPair[] = [];
  const others: TensorJob[] = [];
  for (const job of jobs) {
    const match = LORA_FACTOR.exec(job.name);
    if (!match) {
      others.push(job);
      continue;
    }
    if (match[3] === 'B') continue; // taken with its A
    const partner = job.name.replace(/lora_(embedding_)?A/, 'lora_$1B');
    const b = byName.get(partner);
    const file = job.sources[0]!.file;
    if (!b) throw new Error(`${file}: LoRA factor '${job.name}' has no '${partner}'`);
    const [ea, eb] = [job.sources[0]!.entry, b.sources[0]!.entry];
    if (eb.shape.length < 2 || ea.shape[0] !== eb.shape[1]) {
      throw new Error(
        `${file}: '${job.name}' [${ea.shape}] and '${partner}' [${eb.shape}] disagree on the rank`,
      );
    }
    pairs.push({ module: match[1]!, embedding: match[2] !== undefined, a: job, b });
  }
  for (const job of jobs) {
    const match = LORA_FACTOR.exec(job.name);
    if (match?.[3] === 'B' && !pairs.some((p) => p.b === job)) {
      throw new Error(`${job.sources[0]!.file}: LoRA factor '${job.name}' has no lora_A partner`);
    }
  }
  return { pairs, others };
}

function copyTensor(kernel: FusionKernel, src: TensorSource, write: (b: Uint8Array) => void): void {
  const total = src.entry.shape.reduce((a, b) => a * b, 1);
  for (let start = 0; start < total; start += CHUNK_ELEMENTS) {
    write(kernel.readRaw(src, start, Math.min(CHUNK_ELEMENTS, total - start)));
  }
}

/** B' = [w_1 B_1 | … | w_K B_K] along axis 1, written a block of rows at a time. */
function writeConcatenatedB(
  kernel: FusionKernel,
  b: TensorJob,
  w: number[],
  write: (bytes: Uint8Array) => void,
): void {
  const { dtype, shape } = b.sources[0]!.entry;
  const K = b.sources.length;
  const rowLength = shape.slice(1).reduce((x, y) => x * y, 1);
  const rowBytes = rowLength * DTYPE_SIZES[dtype];
  const rowsPerBlock = Math.max(1, Math.floor(CHUNK_ELEMENTS / (rowLength * K)));
  for (let row = 0; row < shape[0]!; row += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, shape[0]! - row);
    const block = new Uint8Array(rows * K * rowBytes);
    b.sources.forEach((src, k) => {
      kernel.weightedSum([src], [w[k]!], row * rowLength, rows * rowLength);
      const scaled = kernel.encode(dtype, rows * rowLength);
      for (let i = 0; i < rows; i++) {
        block.set(scaled.subarray(i * rowBytes, (i + 1) * rowBytes), (i * K + k) * rowBytes);
      }
    });
    write(block);
  }
}

/** ΔW (or its transpose) = Σ_k w_k s_k B_k A_k, a block of output rows at a time. */
function writeDelta(
  kernel: FusionKernel,
  pair: LoraPair,
  weights: number[],
  settings: LoraSettings,
  transposed: boolean,
  write: (bytes: Uint8Array) => void,
): void {
  const [rank, inDim] = pair.a.sources[0]!.entry.shape as [number, number];
  const outDim = pair.b.sources[0]!.entry.shape[0]!;
  const scale = moduleScale(settings, pair.module.replace(/^base_model\.model\./, ''), rank);
  const members = weights.map((w, k) => ({ c: w * scale, k })).filter((m) => m.c !== 0);
  const A = members.map((m) => readWhole(kernel, pair.a.sources[m.k]!));
  const B = members.map((m) => readWhole(kernel, pair.b.sources[m.k]!));
  const [rowsOut, rowLength] = transposed ? [inDim, outDim] : [outDim, inDim];
  const rowsPerBlock = Math.max(1, Math.floor(CHUNK_ELEMENTS / rowLength));
  const acc = kernel.acc;
  for (let row0 = 0; row0 < rowsOut; row0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, rowsOut - row0);
    acc.fill(0, 0, rows * rowLength);
    members.forEach(({ c }, m) => {
      const [a, b] = [A[m]!, B[m]!];
      for (let i = 0; i < rows; i++) {
        const row = row0 + i;
        const base = i * rowLength;
        for (let j = 0; j < rank; j++) {
          // Not transposed: ΔW[o, :] += c·B[o, j]·A[j, :]; transposed: ΔWᵀ[x, :] += c·A[j, x]·B[:, j].
          if (!transposed) {
            const coef = c * b[row * rank + j]!;
            for (let x = 0; x < rowLength; x++) acc[base + x] += coef * a[j * inDim + x]!;
          } else {
            const coef = c * a[j * inDim + row]!;
            for (let x = 0; x < rowLength; x++) acc[base + x] += coef * b[x * rank + j]!;
          }
        }
      }
    });
    write(kernel.encode(pair.b.sources[0]!.entry.dtype, rows * rowLength));
  }
}

/** A LoRA factor as float32 (factors are small: r × (in + out) values per member). */
function readWhole(kernel: FusionKernel, src: TensorSource): Float32Array {
  const total = src.entry.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(total);
  for (let start = 0; start < total; start += CHUNK_ELEMENTS) {
    const count = Math.min(CHUNK_ELEMENTS, total - start);
    out.set(decodeToFloat32(kernel.readRaw(src, start, count), src.entry.dtype, count), start);
  }
  return out;
}
