// Shared by the streaming-fusion tests: the Python-written fixtures and raw reads of stored codes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSafetensorsHeader } from '../../../src/train/safetensors';

export const fixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'fusion-stream');
export const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8'));
export const rawWeights: number[] = expected.raw_weights;
export const members = (kind: string) => [0, 1, 2].map((k) => path.join(fixtures, kind, `m${k}`));
export const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-stream-'));

/** A tensor's stored values: uint16 codes for F16/BF16, numbers for F32/F64/I64. */
export function storedValues(
  file: string,
  name: string,
): { dtype: string; shape: number[]; stored: number[] } {
  const header = readSafetensorsHeader(file);
  const entry = header.tensors.get(name);
  if (!entry) throw new Error(`${name} not in ${file}`);
  const [begin, end] = entry.dataOffsets;
  const bytes = fs.readFileSync(file).subarray(header.dataStart + begin, header.dataStart + end);
  const n = entry.shape.reduce((a, b) => a * b, 1);
  const stored = Array.from({ length: n }, (_, i) => {
    switch (entry.dtype) {
      case 'F16':
      case 'BF16':
        return bytes.readUInt16LE(2 * i);
      case 'F32':
        return bytes.readFloatLE(4 * i);
      case 'I64':
        return Number(bytes.readBigInt64LE(8 * i));
      default:
        return bytes.readDoubleLE(8 * i);
    }
  });
  return { dtype: entry.dtype, shape: entry.shape, stored };
}

/** Copies a fixture folder tree to a temporary place where a test may change it. */
export function copyTree(from: string): string {
  const to = path.join(tmpDir(), path.basename(from));
  fs.cpSync(from, to, { recursive: true });
  return to;
}
