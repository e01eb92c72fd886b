/**
 * Fused weights θ = Σ_k w_k θ_k over checkpoint files, accumulated in float32.
 *
 * Memory: members are kept in memory while their total size fits the budget
 * (then every candidate of the fusion search costs only arithmetic); past it
 * they are streamed, one checkpoint at a time, so the peak is the fused model
 * plus one member.
 */
import * as fs from 'node:fs';
import type { NamedTensors } from '../train/named-tensors';
import { readSafetensors } from '../train/safetensors';

export class CheckpointSet {
  private readonly cache = new Map<string, NamedTensors>();
  private readonly fitsInMemory: boolean;

  /**
   * @param files - the members, in order (index k ↔ weight w_k)
   * @param memoryBudgetBytes - keep all members loaded when their files fit in this
   */
  constructor(
    readonly files: readonly string[],
    memoryBudgetBytes: number,
  ) {
    if (files.length === 0) throw new Error('no checkpoints to fuse');
    let total = 0;
    for (const f of files) {
      try {
        total += fs.statSync(f).size;
      } catch {
        throw new Error(`checkpoint not found or unreadable: ${f}`);
      }
    }
    this.fitsInMemory = total <= memoryBudgetBytes;
  }

  /** Whether members stay loaded between calls (false: streamed from disk). */
  get cached(): boolean {
    return this.fitsInMemory;
  }

  /** Frees the members kept in memory (e.g. once they live on the backend instead). */
  dropCache(): void {
    this.cache.clear();
  }

  /** Member k's weights (read from disk unless cached). */
  member(k: number): NamedTensors {
    const file = this.files[k]!;
    const hit = this.cache.get(file);
    if (hit) return hit;
    let tensors: NamedTensors;
    try {
      tensors = readSafetensors(file).tensors;
    } catch (err) {
      throw new Error(`cannot read checkpoint ${file}: ${(err as Error).message}`);
    }
    if (this.fitsInMemory) this.cache.set(file, tensors);
    return tensors;
  }

  /**
   * Σ_k w_k θ_k. Weights must be non-negative and sum to 1 (within 1e-6);
   * members with zero weight are not read.
   */
  mix(weights: readonly number[]): NamedTensors {
    checkFusionWeights(weights, this.files.length);
    return this.combine(weights);
  }

  /**
   * Affine combination Σ_k w_k θ_k: weights sum to 1 (within 1e-6) but may be
   * negative, e.g. θ0 + a(θ1 − θ0) + b(θ2 − θ0) for the loss-landscape plane
   * through three checkpoints. Not a fusion (it leaves the members' hull), so the
   * pipeline never calls it.
   */
  affineMix(weights: readonly number[]): NamedTensors {
    checkAffineWeights(weights, this.files.length);
    return this.combine(weights);
  }

  private combine(weights: readonly number[]): NamedTensors {
    let fused: NamedTensors | undefined;
    let reference = '';
    weights.forEach((w, k) => {
      if (w === 0) return;
      const member = this.member(k);
      if (!fused) {
        reference = this.files[k]!;
        fused = new Map(
          [...member].map(([name, t]) => [
            name,
            { shape: [...t.shape], data: new Float32Array(t.data.length) },
          ]),
        );
      }
      accumulate(fused, member, Math.fround(w), reference, this.files[k]!);
    });
    return fused!;
  }
}

/** Throws unless `weights` are K finite numbers summing to 1 (within 1e-6); negatives allowed. */
export function checkAffineWeights(weights: readonly number[], k: number): void {
  if (weights.length !== k) throw new Error(`got ${weights.length} weights for ${k} checkpoints`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!weights.every(Number.isFinite) || Math.abs(sum - 1) > 1e-6) {
    throw new Error(`affine weights must be finite and sum to 1 (got ${weights.join(', ')})`);
  }
}

/** Throws unless `weights` are K non-negative numbers summing to 1 (within 1e-6). */
export function checkFusionWeights(weights: readonly number[], k: number): void {
  if (weights.length !== k) throw new Error(`got ${weights.length} weights for ${k} checkpoints`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.some((w) => !(w >= 0)) || Math.abs(sum - 1) > 1e-6) {
    throw new Error(`fusion weights must be non-negative and sum to 1 (got ${weights.join(', ')})`);
  }
}

function accumulate(
  fused: NamedTensors,
  member: NamedTensors,
  w: number,
  referenceFile: string,
  file: string,
): void {
  if (member.size !== fused.size) {
    throw new Error(
      `${file} has ${member.size} tensors but ${referenceFile} has ${fused.size}: not checkpoints of one model`,
    );
  }
  for (const [name, acc] of fused) {
    const t = member.get(name);
    if (!t || t.data.length !== acc.data.length) {
      throw new Error(
        `${file}: tensor '${name}' is missing or has another shape than in ${referenceFile}`,
      );
    }
    const a = acc.data;
    const d = t.data;
    for (let i = 0; i < a.length; i++) a[i]! += w * d[i]!;
  }
}
