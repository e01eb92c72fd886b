/**
 * Loading and saving a model directory in Hugging Face layout: `config.json`,
 * `model.safetensors` (or sharded with `model.safetensors.index.json`) and the
 * tokenizer (`tokenizer.json` / `vocab.txt`).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import type { NamedTensors } from '../named-tensors';
import {
  readSafetensors,
  readShardedSafetensors,
  type WritableDtype,
  writeSafetensors,
} from '../safetensors';
import { loadTokenizer, type Tokenizer } from '../tokenizer';
import { EncoderClassifier } from './classifier';
import {
  type EncoderConfig,
  encoderConfigFromHF,
  encoderConfigToHF,
  type PairEncoding,
} from './config';

export interface LoadedEncoder {
  model: EncoderClassifier;
  tokenizer: Tokenizer;
  config: EncoderConfig;
  /** Model weights absent from the files (initialised fresh, e.g. a new classifier head). */
  missing: string[];
  /** Names in the files the model does not use (e.g. `cls.predictions.*` of an MLM checkpoint). */
  unexpected: string[];
}

/** Reads `config.json` of a model directory. */
export function readModelConfig(dir: string): Record<string, unknown> {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) throw new Error(`${dir}: no config.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** The files a model directory's weights may be in: single, or sharded with an index. */
export const WEIGHT_FILES = ['model.safetensors', 'model.safetensors.index.json'] as const;

/** Every tensor of the directory's weights (single or sharded safetensors). */
export function readModelWeights(dir: string): NamedTensors {
  const single = join(dir, WEIGHT_FILES[0]);
  if (existsSync(single)) return readSafetensors(single).tensors;
  const index = join(dir, WEIGHT_FILES[1]);
  if (existsSync(index)) return readShardedSafetensors(index).tensors;
  throw new Error(`${dir}: no ${WEIGHT_FILES.join(' or ')}`);
}

/** Legacy TF-converted names (`LayerNorm.gamma/beta`) → current ones; task prefix added if absent. */
function canonicalName(name: string, prefix: string): string {
  let n = name
    .replace(/LayerNorm\.gamma$/, 'LayerNorm.weight')
    .replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  if (/^(embeddings|encoder|pooler)\./.test(n)) n = prefix + n;
  return n;
}

/** The task head to load a model folder with. */
export interface HeadSpec {
  numLabels: number;
  /** Overrides config.json's `pair_encoding` (a run's resolved setting). */
  pairEncoding?: PairEncoding;
  /** A fresh bi-encoder head maps cosine 0..1 onto this range (cosine-head.ts). */
  labelRange?: readonly [number, number];
}

/**
 * Loads a HF model directory as a classifier with `head.numLabels` outputs.
 * Weights the files lack (the head of a pre-trained encoder) keep a fresh
 * random init from `seed`; names the model does not use are reported.
 */
export function loadPretrainedEncoder(dir: string, head: HeadSpec, seed = 0): LoadedEncoder {
  const saved = encoderConfigFromHF(readModelConfig(dir), join(dir, 'config.json'));
  const config = { ...saved, pairEncoding: head.pairEncoding ?? saved.pairEncoding };
  const tokenizer = loadTokenizer(dir);
  if (tokenizer.vocabSize > config.vocabSize)
    throw new Error(
      `${dir}: the tokenizer has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocabSize}`,
    );
  const model = new EncoderClassifier(config, head, seed);
  const prefix = `${config.modelType}.`;
  const weights: NamedTensors = new Map();
  const unexpected: string[] = [];
  for (const [name, t] of readModelWeights(dir)) {
    const n = canonicalName(name, prefix);
    if (model.variables.has(n)) weights.set(n, t);
    else if (!n.endsWith('position_ids')) unexpected.push(name);
  }
  const missing = [...model.variables.keys()].filter((n) => !weights.has(n));
  try {
    model.setWeights(weights, { strict: false });
  } catch (err) {
    model.dispose();
    throw new Error(`${dir}: ${(err as Error).message}`);
  }
  return { model, tokenizer, config, missing, unexpected };
}

export interface SaveOptions {
  /** Stored dtype of the weights (default F32). */
  dtype?: WritableDtype;
  labelNames?: string[];
  problemType?: string;
  /** Without a classifier (`weights` given directly, e.g. an MLM model). */
  headless?: boolean;
}

/**
 * Writes `config.json`, `model.safetensors` and the tokenizer files into `dir`
 * (created if needed), loadable by `loadPretrainedEncoder` and HF loaders.
 */
export function savePretrainedEncoder(
  dir: string,
  model: { config: EncoderConfig; numLabels?: number; getWeights(): NamedTensors },
  tokenizer: Tokenizer,
  extra: SaveOptions = {},
): void {
  mkdirSync(dir, { recursive: true });
  const hf = encoderConfigToHF(model.config, {
    numLabels: extra.headless ? undefined : model.numLabels,
    labelNames: extra.labelNames,
    problemType: extra.problemType,
  });
  writeSafetensors(join(dir, 'model.safetensors'), model.getWeights(), {
    dtype: extra.dtype ?? 'F32',
    metadata: { format: 'pt' },
  });
  writeFileAtomic(join(dir, 'config.json'), `${JSON.stringify(hf, null, 2)}\n`);
  tokenizer.save(dir);
}
