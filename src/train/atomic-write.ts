import * as path from 'node:path';
import { fileSystem, makeDirectory, syncDirectory, writeAll } from './durable-fs';

let counter = 0;

/** Explains ENOSPC and friends in terms of the file being written; keeps the errno code. */
export function describeWriteError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : String((err as Error).message ?? err);
  return Object.assign(new Error(`cannot write ${file}: ${reason}`), { code });
}

/**
 * Writes `data` to `file` via a temporary sibling: every byte written (a short
 * write is an error, not a truncated file), fsynced, renamed into place, and the
 * folder fsynced, so after a crash `file` is the old one or the complete new one,
 * and once this returns it survives a power cut. Creates the parent folder if
 * needed. Errors name the file.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  counter++;
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter}.tmp`);
  const layer = fileSystem();
  try {
    makeDirectory(dir);
    const fd = layer.open(temp, 'w');
    try {
      writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
      layer.fsync(fd);
    } finally {
      layer.close(fd);
    }
    layer.rename(temp, file);
    syncDirectory(dir);
  } catch (err) {
    try {
      layer.unlink(temp);
    } catch {
      // Not created, or already renamed.
    }
    throw describeWriteError(file, err);
  }
}
