/**
 * The resumable state of a pre-training run in ONE safetensors file (written
 * atomically, so a crash leaves the previous checkpoint intact): model weights
 * under their HF names, AdamW moments under `optimizer.m.` / `optimizer.v.`,
 * and the step, options fingerprint and loss log in the metadata.
 */
import { existsSync } from 'node:fs';
import type { AdamWState } from '../loop/adamw';
import type { NamedTensors } from '../named-tensors';
import { readSafetensors, writeSafetensors } from '../safetensors';

const M = 'optimizer.m.';
const V = 'optimizer.v.';

export interface LossRecord {
  step: number;
  /** Total loss: masked-LM plus the weighted contrastive loss when that is on. */
  loss: number;
  /** The two parts, unweighted (only with the contrastive objective). */
  maskedLM?: number;
  contrastive?: number;
  learningRate: number;
  elapsedSeconds: number;
}

export interface PretrainCheckpoint {
  step: number;
  fingerprint: string;
  weights: NamedTensors;
  optimizer: AdamWState;
  losses: LossRecord[];
  /** Wall time spent in earlier sessions of this run. */
  elapsedSeconds: number;
}

export function savePretrainCheckpoint(file: string, c: PretrainCheckpoint): void {
  const all: NamedTensors = new Map(c.weights);
  for (const [n, t] of c.optimizer.m) all.set(M + n, t);
  for (const [n, t] of c.optimizer.v) all.set(V + n, t);
  writeSafetensors(file, all, {
    metadata: {
      step: String(c.step),
      fingerprint: c.fingerprint,
      losses: JSON.stringify(c.losses),
      elapsedSeconds: String(c.elapsedSeconds),
    },
  });
}

/** The checkpoint in `file`, or undefined when there is none yet. */
export function loadPretrainCheckpoint(file: string): PretrainCheckpoint | undefined {
  if (!existsSync(file)) return undefined;
  const { tensors, metadata } = readSafetensors(file);
  const weights: NamedTensors = new Map();
  const m: NamedTensors = new Map();
  const v: NamedTensors = new Map();
  for (const [n, t] of tensors) {
    if (n.startsWith(M)) m.set(n.slice(M.length), t);
    else if (n.startsWith(V)) v.set(n.slice(V.length), t);
    else weights.set(n, t);
  }
  const step = Number(metadata.step);
  if (!Number.isInteger(step)) throw new Error(`${file}: metadata 'step' is missing`);
  return {
    step,
    fingerprint: metadata.fingerprint ?? '',
    weights,
    optimizer: { step, m, v },
    losses: JSON.parse(metadata.losses ?? '[]') as LossRecord[],
    elapsedSeconds: Number(metadata.elapsedSeconds ?? 0),
  };
}
