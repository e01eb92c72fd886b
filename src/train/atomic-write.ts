import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/** Explains ENOSPC and friends in terms of the file being written. */
export function describeWriteError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : String((err as Error).message ?? err);
  return new Error(`cannot write ${file}: ${reason}`);
}

/**
 * Writes `data` to `file` via a temporary sibling, fsync and a rename, so a crash
 * or a concurrent reader never sees a half-written file (the old or the new one,
 * nothing in between). Creates the parent directory if needed. Errors name the file.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  counter++;
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${counter}.tmp`,
  );
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw describeWriteError(file, err);
  }
}
