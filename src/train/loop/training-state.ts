/**
 * The resumable part of a run beside each checkpoint (`ckpt-03.state.safetensors`):
 * AdamW moments (F32), LoRA adapters when training them, and JSON metadata (step,
 * evaluation history, collected checkpoints, a fingerprint of the settings). With the
 * checkpoint's weights this is everything the loop needs: data order is a function
 * of (seed, epoch) and dropout of (seed, step).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NamedTensors } from '../named-tensors';
import { readSafetensors, writeSafetensors } from '../safetensors';
import type { AdamWState } from './adamw';
import { trainingStateFileFor } from './checkpoint-schedule';
import type { CheckpointRecord, EvalRecord } from './types';

const META_KEY = 'bomf_training_state';
const FORMAT_VERSION = 1;

export interface TrainingStateMeta {
  /** Optimizer steps done when the state was saved. */
  step: number;
  /** JSON of the settings that shape the trajectory; resume refuses a mismatch. */
  fingerprint: Record<string, unknown>;
  history: EvalRecord[];
  /** Checkpoints collected so far; `file`/`stateFile` relative to the checkpoint folder. */
  checkpoints: CheckpointRecord[];
}

export interface TrainingState {
  meta: TrainingStateMeta;
  optimizer: AdamWState;
  /** Trained parameters that are not model weights (LoRA adapters), by parameter name. */
  extraParameters: NamedTensors;
}

export function saveTrainingState(file: string, state: TrainingState): void {
  const tensors: NamedTensors = new Map();
  for (const [name, t] of state.optimizer.m) tensors.set(`adam.m.${name}`, t);
  for (const [name, t] of state.optimizer.v) tensors.set(`adam.v.${name}`, t);
  for (const [name, t] of state.extraParameters) tensors.set(`param.${name}`, t);
  const meta = {
    version: FORMAT_VERSION,
    ...state.meta,
    adamStep: state.optimizer.step,
    checkpoints: state.meta.checkpoints.map((c) => ({
      ...c,
      file: path.basename(c.file),
      stateFile: path.basename(c.stateFile),
    })),
  };
  writeSafetensors(file, tensors, { dtype: 'F32', metadata: { [META_KEY]: JSON.stringify(meta) } });
}

/** Reads a state file; checkpoint paths are resolved against the file's folder. */
export function loadTrainingState(file: string): TrainingState {
  const { tensors, metadata } = readSafetensors(file);
  const raw = metadata[META_KEY];
  if (raw === undefined)
    throw new Error(`${file}: not a training-state file (no '${META_KEY}' metadata)`);
  const meta = JSON.parse(raw) as TrainingStateMeta & { version: number; adamStep: number };
  if (meta.version !== FORMAT_VERSION)
    throw new Error(`${file}: training-state version ${meta.version}, expected ${FORMAT_VERSION}`);
  const dir = path.dirname(file);
  const m: NamedTensors = new Map();
  const v: NamedTensors = new Map();
  const extraParameters: NamedTensors = new Map();
  for (const [name, t] of tensors) {
    if (name.startsWith('adam.m.')) m.set(name.slice(7), t);
    else if (name.startsWith('adam.v.')) v.set(name.slice(7), t);
    else if (name.startsWith('param.')) extraParameters.set(name.slice(6), t);
  }
  return {
    meta: {
      step: meta.step,
      fingerprint: meta.fingerprint,
      history: meta.history,
      checkpoints: meta.checkpoints.map((c) => ({
        ...c,
        file: path.join(dir, c.file),
        stateFile: path.join(dir, c.stateFile),
      })),
    },
    optimizer: { step: meta.adamStep, m, v },
    extraParameters,
  };
}

/** The first setting that differs between a saved fingerprint and the current one. */
export function fingerprintMismatch(
  saved: Record<string, unknown>,
  current: Record<string, unknown>,
): string | undefined {
  for (const key of new Set([...Object.keys(saved), ...Object.keys(current)])) {
    const a = JSON.stringify(saved[key]);
    const b = JSON.stringify(current[key]);
    if (a !== b) return `${key}: saved ${a}, now ${b}`;
  }
  return undefined;
}

/**
 * The latest checkpoint in `dir` that a killed run can resume from: the highest
 * `ckpt-XX.safetensors` whose training-state file exists too (a run killed between
 * the two writes leaves a checkpoint without state, which is skipped).
 */
export function findResumableCheckpoint(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const candidates = fs
    .readdirSync(dir)
    .filter((f) => /^ckpt-\d+\.safetensors$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(b)![0]) - Number(/\d+/.exec(a)![0]));
  for (const name of candidates) {
    const file = path.join(dir, name);
    if (fs.existsSync(trainingStateFileFor(file))) return file;
  }
  return undefined;
}
