import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import type { NamedTensors } from './named-tensors';
import {
  DTYPE_SIZES,
  decodeToFloat32,
  encodeFloat32,
  isReadableDtype,
  type ReadableDtype,
  type WritableDtype,
} from './safetensors-dtypes';

export type { ReadableDtype, WritableDtype } from './safetensors-dtypes';

/** One tensor's entry in a safetensors header; offsets are relative to the data buffer. */
export interface SafetensorsEntry {
  dtype: ReadableDtype;
  shape: number[];
  dataOffsets: [begin: number, end: number];
}

export interface SafetensorsHeader {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + header length). */
  dataStart: number;
}

/** A header larger than this is taken as corruption, not as a model (the reference caps it at 100 MB). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** Reads only the 8-byte length and the JSON header: cheap inspection of names, shapes, dtypes. */
export function readSafetensorsHeader(file: string): SafetensorsHeader {
  const fd = openSync(file, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const headerLength = readHeaderLength(file, fd, fileSize);
    const json = Buffer.alloc(headerLength);
    readSync(fd, json, 0, headerLength, 8);
    return parseHeader(file, json, fileSize);
  } finally {
    closeSync(fd);
  }
}

/** Reads every tensor as float32 (F16/BF16/integer dtypes are converted) plus `__metadata__`. */
export function readSafetensors(file: string): {
  tensors: NamedTensors;
  metadata: Record<string, string>;
} {
  const bytes = readFileSync(file);
  const headerLength = readHeaderLength(file, undefined, bytes.length, bytes);
  const header = parseHeader(file, bytes.subarray(8, 8 + headerLength), bytes.length);
  const tensors: NamedTensors = new Map();
  for (const [name, entry] of header.tensors) {
    const [begin, end] = entry.dataOffsets;
    const raw = bytes.subarray(header.dataStart + begin, header.dataStart + end);
    const data = decodeToFloat32(raw, entry.dtype, numel(entry.shape));
    tensors.set(name, { shape: [...entry.shape], data });
  }
  return { tensors, metadata: header.metadata };
}

export interface WriteSafetensorsOptions {
  /** Storage type of every tensor; default F32. */
  dtype?: WritableDtype;
  metadata?: Record<string, string>;
}

/**
 * Writes `tensors` (name → shape + float32 data) as one safetensors file, atomically. Tensors are
 * stored in name order; the JSON header is padded with spaces so the data buffer starts at a
 * multiple of 8 bytes. F16 rounds to nearest even and overflows to ±Infinity.
 */
export function writeSafetensors(
  file: string,
  tensors: NamedTensors,
  opts: WriteSafetensorsOptions = {},
): void {
  const dtype = opts.dtype ?? 'F32';
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (opts.metadata && Object.keys(opts.metadata).length > 0) {
    for (const [key, value] of Object.entries(opts.metadata)) {
      if (typeof value !== 'string') throw new Error(`${file}: metadata '${key}' must be a string`);
    }
    header.__metadata__ = opts.metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors.get(name)!;
    if (numel(shape) !== data.length) {
      throw new Error(`${file}: tensor '${name}' has shape [${shape}] but ${data.length} values`);
    }
    const bytes = encodeFloat32(data, dtype);
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = (8 - ((8 + json.length) % 8)) % 8;
  if (padding > 0) json = Buffer.concat([json, Buffer.alloc(padding, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  writeFileAtomic(file, Buffer.concat([prefix, json, ...chunks]));
}

/**
 * Reads a sharded checkpoint through its `model.safetensors.index.json`
 * (`{ metadata?, weight_map: { tensor name: shard file } }`); every listed tensor must be found in
 * its shard.
 */
export function readShardedSafetensors(indexFile: string): {
  tensors: NamedTensors;
  metadata: Record<string, string>;
} {
  let weightMap: Record<string, string>;
  try {
    weightMap = JSON.parse(readFileSync(indexFile, 'utf8')).weight_map;
  } catch (err) {
    throw new Error(`${indexFile}: cannot read the shard index: ${(err as Error).message}`);
  }
  if (!weightMap || typeof weightMap !== 'object') {
    throw new Error(`${indexFile}: no "weight_map" object`);
  }
  const tensors: NamedTensors = new Map();
  const metadata: Record<string, string> = {};
  for (const shard of [...new Set(Object.values(weightMap))].sort()) {
    const shardFile = join(dirname(indexFile), shard);
    if (!existsSync(shardFile)) throw new Error(`${indexFile}: shard file ${shardFile} is missing`);
    const part = readSafetensors(shardFile);
    Object.assign(metadata, part.metadata);
    for (const [name, tensor] of part.tensors)
      if (weightMap[name] === shard) tensors.set(name, tensor);
  }
  for (const [name, shard] of Object.entries(weightMap)) {
    if (!tensors.has(name)) throw new Error(`${indexFile}: tensor '${name}' is not in ${shard}`);
  }
  return { tensors, metadata };
}

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function readHeaderLength(
  file: string,
  fd: number | undefined,
  fileSize: number,
  bytes?: Buffer,
): number {
  if (fileSize < 8) {
    throw new Error(
      `${file}: truncated safetensors file (${fileSize} bytes, the header length alone needs 8)`,
    );
  }
  let prefix = bytes;
  if (!prefix) {
    prefix = Buffer.alloc(8);
    readSync(fd!, prefix, 0, 8, 0);
  }
  const length = prefix.readBigUInt64LE(0);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw new Error(`${file}: corrupt safetensors file (header length ${length} is implausible)`);
  }
  if (Number(length) > fileSize - 8) {
    throw new Error(
      `${file}: truncated safetensors file (header says ${length} bytes, only ${fileSize - 8} follow)`,
    );
  }
  return Number(length);
}

function parseHeader(file: string, json: Uint8Array, fileSize: number): SafetensorsHeader {
  const bad = (why: string) => new Error(`${file}: corrupt safetensors header: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
  } catch (err) {
    throw bad(`invalid JSON (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('not a JSON object');
  const dataStart = 8 + json.byteLength;
  const dataLength = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (typeof v !== 'string') throw bad(`__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!isReadableDtype(entry?.dtype))
      throw bad(`tensor '${name}' has unsupported dtype ${JSON.stringify(entry?.dtype)}`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw bad(`tensor '${name}' has an invalid shape`);
    }
    const offsets = entry.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0)
    ) {
      throw bad(`tensor '${name}' has invalid data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    const expected = numel(shape) * DTYPE_SIZES[entry.dtype];
    if (end - begin !== expected) {
      throw bad(
        `tensor '${name}' spans ${end - begin} bytes but ${entry.dtype}[${shape}] needs ${expected}`,
      );
    }
    if (end > dataLength) {
      throw new Error(
        `${file}: truncated safetensors file (tensor '${name}' ends at byte ${dataStart + end}, file has ${fileSize})`,
      );
    }
    tensors.set(name, { dtype: entry.dtype, shape, dataOffsets: [begin, end] });
  }
  checkNoOverlap(tensors, bad);
  return { tensors, metadata, dataStart };
}

/** Two tensors sharing bytes would alias each other's data: the file is corrupt or crafted. */
function checkNoOverlap(tensors: Map<string, SafetensorsEntry>, bad: (why: string) => Error): void {
  const spans = [...tensors]
    .filter(([, e]) => e.dataOffsets[1] > e.dataOffsets[0])
    .sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0]);
  for (let i = 1; i < spans.length; i++) {
    const [prevName, prev] = spans[i - 1]!;
    const [name, entry] = spans[i]!;
    if (entry.dataOffsets[0] < prev.dataOffsets[1]) {
      throw bad(
        `tensor '${name}' (bytes ${entry.dataOffsets.join('–')}) overlaps tensor '${prevName}' (bytes ${prev.dataOffsets.join('–')})`,
      );
    }
  }
}
