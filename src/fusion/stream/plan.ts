/**
 * Checks that fusion members can be averaged tensor by tensor (same names, shapes and dtypes) and
 * that the fusion weights are usable; refusals name the tensor and the file.
 */
import type { MemberLayout, TensorSource } from './layout';

/** One output tensor and where its K inputs are. */
export interface TensorJob {
  name: string;
  sources: TensorSource[];
}

export function planTensors(members: MemberLayout[]): TensorJob[] {
  const [first, ...rest] = members;
  if (!first) throw new Error('no checkpoints to fuse');
  for (const member of rest) {
    for (const [name, src] of member.tensors) {
      if (!first.tensors.has(name)) {
        throw new Error(`tensor '${name}' of ${src.file} is not in ${first.source}`);
      }
    }
  }
  const jobs: TensorJob[] = [];
  for (const [name, ref] of first.tensors) {
    const sources = [ref];
    for (const member of rest) {
      const src = member.tensors.get(name);
      if (!src) throw new Error(`tensor '${name}' of ${ref.file} is missing from ${member.source}`);
      if (src.entry.dtype !== ref.entry.dtype) {
        throw new Error(
          `tensor '${name}' is ${src.entry.dtype} in ${src.file} but ${ref.entry.dtype} in ${ref.file}`,
        );
      }
      if (src.entry.shape.join(',') !== ref.entry.shape.join(',')) {
        throw new Error(
          `tensor '${name}' has shape [${src.entry.shape}] in ${src.file} but [${ref.entry.shape}] in ${ref.file}`,
        );
      }
      sources.push(src);
    }
    jobs.push({ name, sources });
  }
  return jobs;
}

/** Validates K fusion weights (finite, non-negative, not all zero) and scales them to sum 1. */
export function normalizeFusionWeights(weights: readonly number[], count: number): number[] {
  if (weights.length !== count) {
    throw new Error(`${weights.length} fusion weights for ${count} checkpoints`);
  }
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0) {
      throw new Error(`fusion weight ${i + 1} is ${w}; weights must be finite and non-negative`);
    }
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new Error('the fusion weights are all zero');
  return weights.map((w) => w / sum);
}

/**
 * Parses a user's comma-separated weight list strictly: decimal numbers only (no `0x10`, no
 * empty entry read as 0, no `NaN`), then normalizes it.
 */
export function parseFusionWeights(text: string, count: number): number[] {
  const entries = text.split(',').map((s) => s.trim());
  const values = entries.map((entry, i) => {
    if (entry === '') throw new Error(`--weights: entry ${i + 1} of '${text}' is empty`);
    if (!/^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(entry)) {
      throw new Error(
        `--weights: entry ${i + 1} ('${entry}') is not a non-negative decimal number`,
      );
    }
    return Number(entry);
  });
  if (values.length !== count) {
    throw new Error(`--weights has ${values.length} entries but there are ${count} checkpoints`);
  }
  try {
    return normalizeFusionWeights(values, count);
  } catch (err) {
    throw new Error(`--weights: ${(err as Error).message}`);
  }
}
