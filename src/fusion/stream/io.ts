/**
 * Checked file I/O for streaming fusion: positional reads that must return every byte asked for,
 * writes that must accept every byte given (a short count is an error, never silently dropped),
 * and output folders that are staged beside their target and renamed into place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describeWriteError } from '../../train/atomic-write';
import { fileSystem, syncDirectory } from '../../train/durable-fs';

/** Fills `buffer[0, length)` from `file` at `position`; a file that ends early is an error. */
export function readExactly(
  fd: number,
  buffer: Uint8Array,
  length: number,
  position: number,
  file: string,
  what: string,
): void {
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      n = fs.readSync(fd, buffer, done, length - done, position + done);
    } catch (err) {
      throw describeReadError(file, err);
    }
    if (n === 0) throw truncated(file, what, position, length, done);
    done += n;
  }
}

const read = promisify(fs.read);

/** A failed read as an error naming the file (Node's own message names only the system call). */
function describeReadError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  return Object.assign(new Error(`cannot read ${file}: ${(err as Error).message ?? err}`), {
    code,
  });
}

/** One positional read in the thread pool: the bytes it read; a failure names the file. */
export async function readAt(
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
  file: string,
): Promise<number> {
  try {
    return (await read(fd, buffer, offset, length, position)).bytesRead;
  } catch (err) {
    throw describeReadError(file, err);
  }
}

/** Member files opened for reading once each, closed together. */
export class OpenFiles {
  private readonly fds = new Map<string, number>();

  fd(file: string): number {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      fd = fs.openSync(file, 'r');
      this.fds.set(file, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

/** readExactly in the thread pool, so reading overlaps the main thread's arithmetic. */
export async function readExactlyAsync(
  fd: number,
  buffer: Uint8Array,
  length: number,
  position: number,
  file: string,
  what: string,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const bytesRead = await readAt(fd, buffer, done, length - done, position + done, file);
    if (bytesRead === 0) throw truncated(file, what, position, length, done);
    done += bytesRead;
  }
}

/** The error of a file that ends before the bytes a read needs. */
export function truncated(
  file: string,
  what: string,
  position: number,
  length: number,
  done: number,
) {
  return new Error(
    `${file}: truncated safetensors file (${what} needs bytes up to ${position + length}, the file ends at ${position + done})`,
  );
}

/** Writes all of `bytes` at the file's current position, looping over partial writes. */
export function writeAll(fd: number, bytes: Uint8Array, file: string): void {
  let done = 0;
  try {
    while (done < bytes.length) {
      const n = fs.writeSync(fd, bytes, done, bytes.length - done);
      if (n <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      done += n;
    }
  } catch (err) {
    throw describeWriteError(file, err);
  }
}

/** Writes a small file completely and fsyncs it (inside a staging folder, so no rename needed). */
export function writeFileDurable(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'wx');
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data, file);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Copies a file through writeAll + fsync (copyFileSync neither reports short writes nor syncs). */
export function copyFileDurable(from: string, to: string): void {
  writeFileDurable(to, fs.readFileSync(from));
}

/**
 * Refuses an output target that holds anything: outputs never delete or overwrite what the tool did
 * not create. A missing folder or an empty one is fine. `isOwnOutput` may accept a folder the tool
 * itself wrote earlier (it is then replaced).
 */
export function checkOutputTarget(target: string, isOwnOutput?: (dir: string) => boolean): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return;
  }
  if (!stat.isDirectory()) {
    throw new Error(`${target} exists and is not a folder; choose a new output folder`);
  }
  if (fs.readdirSync(target).length > 0 && !isOwnOutput?.(target)) {
    throw new Error(
      `${target} is not empty; the output must be a new or empty folder (nothing was deleted)`,
    );
  }
}

/** A fresh hidden staging folder beside `target`, on the same file system so rename is atomic. */
export function makeStagingDir(target: string): string {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  return fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.partial-`));
}

/**
 * Moves a complete staging folder to `target` (checked again: it may have appeared meanwhile).
 * An earlier output of ours is moved aside first and deleted only once the new one is in place.
 * The renames go through the durable file-system layer and the parent folder is fsynced, so the
 * new name survives a power cut once this returns (and a test's crash model can see it).
 */
export function publishDir(
  staging: string,
  target: string,
  isOwnOutput?: (dir: string) => boolean,
): void {
  checkOutputTarget(target, isOwnOutput);
  const layer = fileSystem();
  let aside: string | undefined;
  if (fs.existsSync(target)) {
    if (fs.readdirSync(target).length === 0) fs.rmdirSync(target);
    else {
      aside = `${staging}.old`;
      layer.rename(target, aside);
    }
  }
  layer.rename(staging, target);
  syncDirectory(path.dirname(target));
  if (aside) fs.rmSync(aside, { recursive: true, force: true });
}

/** Runs `build(staging)` and publishes its folder; a failure removes only the staging folder. */
export async function writeDirAtomic(
  target: string,
  build: (staging: string) => void | Promise<void>,
  isOwnOutput?: (dir: string) => boolean,
): Promise<void> {
  checkOutputTarget(target, isOwnOutput);
  const staging = makeStagingDir(target);
  try {
    await build(staging);
    publishDir(staging, target, isOwnOutput);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
