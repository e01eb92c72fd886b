/**
 * Writes a safetensors file front to back without holding its tensors: the header goes first (every
 * offset follows from the shapes and dtypes announced up front), then the data in that order.
 * `finish` checks that exactly the announced bytes arrived, then fsyncs.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { DTYPE_SIZES, type ReadableDtype } from '../../train/safetensors-dtypes';
import { writeAll } from './io';

const fdatasync = promisify(fs.fdatasync);

export interface OutputTensor {
  name: string;
  dtype: ReadableDtype;
  shape: number[];
}

export function tensorBytes(t: { dtype: ReadableDtype; shape: number[] }): number {
  return t.shape.reduce((a, b) => a * b, 1) * DTYPE_SIZES[t.dtype];
}

/** The header bytes (length prefix + JSON padded with spaces to a multiple of 8) for `tensors`. */
export function encodeHeader(tensors: OutputTensor[], metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const size = tensorBytes(t);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Buffer.alloc(json.length + ((8 - ((8 + json.length) % 8)) % 8), 0x20);
  json.copy(padded);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(padded.length));
  return Buffer.concat([prefix, padded]);
}

export class SafetensorsStreamWriter {
  private readonly fd: number;
  private readonly expected: number;
  private written = 0;

  constructor(
    readonly file: string,
    tensors: OutputTensor[],
    metadata: Record<string, string>,
  ) {
    this.expected = tensors.reduce((sum, t) => sum + tensorBytes(t), 0);
    this.fd = fs.openSync(file, 'wx');
    try {
      writeAll(this.fd, encodeHeader(tensors, metadata), file);
    } catch (err) {
      fs.closeSync(this.fd);
      throw err;
    }
  }

  /** Total bytes of tensor data this file will hold. */
  get dataBytes(): number {
    return this.expected;
  }

  write(bytes: Uint8Array): void {
    if (this.written + bytes.length > this.expected) {
      throw new Error(`${this.file}: more tensor data than the header announced`);
    }
    writeAll(this.fd, bytes, this.file);
    this.written += bytes.length;
  }

  /** Writes back what was written so far, in the thread pool: `finish`'s fsync then has less to do. */
  flush(): Promise<void> {
    return fdatasync(this.fd);
  }

  /** Checks completeness, fsyncs and closes; the file is then whole on disk. */
  finish(): void {
    try {
      if (this.written !== this.expected) {
        throw new Error(
          `${this.file}: wrote ${this.written} bytes of tensor data, the header announced ${this.expected}`,
        );
      }
      fs.fsyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /** Closes without checks (the caller deletes the partial file's staging folder). */
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed by finish()
    }
  }
}
