/**
 * What one fusion member is on disk: a lone safetensors file, a model folder (`model.safetensors`,
 * or shards listed by `model.safetensors.index.json`), or a PEFT LoRA adapter folder
 * (`adapter_model.safetensors` + `adapter_config.json`). Only headers are read here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSafetensorsHeader, type SafetensorsEntry } from '../../train/safetensors';

export const SINGLE_FILE = 'model.safetensors';
export const SHARD_INDEX = 'model.safetensors.index.json';
export const ADAPTER_FILE = 'adapter_model.safetensors';
export const ADAPTER_CONFIG = 'adapter_config.json';

/** Where one tensor's bytes are: the file, its entry, and where that file's data buffer starts. */
export interface TensorSource {
  file: string;
  entry: SafetensorsEntry;
  dataStart: number;
}

export interface MemberLayout {
  /** The path the user gave. */
  source: string;
  kind: 'file' | 'model' | 'sharded' | 'adapter';
  /** The member's folder (absent for a lone file): its non-weight files are copied. */
  dir?: string;
  /** Tensors in the order of their bytes in the first shard, then the next shard… */
  tensors: Map<string, TensorSource>;
  /** The shard file name (relative) holding each tensor. */
  shardOf: Map<string, string>;
  /** `__metadata__` of the (first) weight file, kept in the output. */
  metadata: Record<string, string>;
  /** The parsed `adapter_config.json` of an adapter. */
  adapterConfig?: Record<string, unknown>;
}

/** Files in a member folder that hold weights or training state: never copied into the output. */
export function isWeightFile(name: string): boolean {
  return (
    /\.(safetensors|bin|pt|pth|ckpt|h5|msgpack|gguf|npz)$/.test(name) ||
    /\.index\.json$/.test(name) ||
    name === ADAPTER_CONFIG ||
    name.startsWith('.')
  );
}

export function resolveMember(source: string): MemberLayout {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new Error(`checkpoint not found: ${source}`);
  }
  if (stat.isFile()) return singleFile(source, 'file', undefined, SINGLE_FILE);
  const inDir = (name: string) => path.join(source, name);
  if (fs.existsSync(inDir(ADAPTER_FILE))) {
    const layout = singleFile(inDir(ADAPTER_FILE), 'adapter', source, ADAPTER_FILE);
    layout.adapterConfig = readAdapterConfig(inDir(ADAPTER_CONFIG));
    return layout;
  }
  if (fs.existsSync(inDir(SHARD_INDEX))) return sharded(source, inDir(SHARD_INDEX));
  if (fs.existsSync(inDir(SINGLE_FILE))) return singleFile(inDir(SINGLE_FILE), 'model', source);
  throw new Error(`${source}: no ${SINGLE_FILE}, ${SHARD_INDEX} or ${ADAPTER_FILE} in this folder`);
}

function singleFile(
  file: string,
  kind: MemberLayout['kind'],
  dir: string | undefined,
  outName = path.basename(file),
): MemberLayout {
  const header = readSafetensorsHeader(file);
  const tensors = new Map<string, TensorSource>();
  const shardOf = new Map<string, string>();
  for (const [name, entry] of byOffset(header.tensors)) {
    tensors.set(name, { file, entry, dataStart: header.dataStart });
    shardOf.set(name, outName);
  }
  return { source: dir ?? file, kind, dir, tensors, shardOf, metadata: header.metadata };
}

function sharded(dir: string, indexFile: string): MemberLayout {
  let weightMap: unknown;
  try {
    weightMap = JSON.parse(fs.readFileSync(indexFile, 'utf8')).weight_map;
  } catch (err) {
    throw new Error(`${indexFile}: cannot read the shard index: ${(err as Error).message}`);
  }
  if (!weightMap || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
    throw new Error(`${indexFile}: no "weight_map" object`);
  }
  const map = weightMap as Record<string, unknown>;
  const tensors = new Map<string, TensorSource>();
  const shardOf = new Map<string, string>();
  let metadata: Record<string, string> | undefined;
  const shards = [...new Set(Object.values(map))].sort();
  for (const shard of shards) {
    if (typeof shard !== 'string' || shard !== path.basename(shard)) {
      throw new Error(`${indexFile}: shard ${JSON.stringify(shard)} is not a file name`);
    }
    const file = path.join(dir, shard);
    if (!fs.existsSync(file)) throw new Error(`${indexFile}: shard file ${file} is missing`);
    const header = readSafetensorsHeader(file);
    metadata ??= header.metadata;
    for (const [name, entry] of byOffset(header.tensors)) {
      if (map[name] !== shard) continue;
      tensors.set(name, { file, entry, dataStart: header.dataStart });
      shardOf.set(name, shard);
    }
  }
  for (const [name, shard] of Object.entries(map)) {
    if (!tensors.has(name)) throw new Error(`${indexFile}: tensor '${name}' is not in ${shard}`);
  }
  return { source: dir, kind: 'sharded', dir, tensors, shardOf, metadata: metadata ?? {} };
}

function readAdapterConfig(file: string): Record<string, unknown> {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the adapter config: ${(err as Error).message}`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(`${file}: the adapter config is not a JSON object`);
  }
  return config as Record<string, unknown>;
}

function byOffset(tensors: Map<string, SafetensorsEntry>): [string, SafetensorsEntry][] {
  return [...tensors].sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0]);
}
