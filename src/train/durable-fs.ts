/**
 * The few file-system calls that make writes durable, behind one swappable
 * layer. Everything that must survive a crash (atomic file writes, the event
 * log, the run lock) goes through `fileSystem()`, so a test can install a layer
 * that records the order of writes, fsyncs and renames and checks what a power
 * cut at any point would leave: `kill -9` keeps the page cache, so only such a
 * layer can tell a missing fsync apart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileSystemLayer {
  open(file: string, flags: 'r' | 'w' | 'a'): number;
  /** Writes up to `length` bytes; may write fewer (a full disk), like write(2). */
  write(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsync(fd: number): void;
  truncate(fd: number, length: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  /** A new name for an existing file; fails with EEXIST when `to` exists (an atomic create). */
  link(existing: string, to: string): void;
  unlink(file: string): void;
  /** Creates one directory level; fails with EEXIST when it exists. */
  mkdir(dir: string): void;
}

const nodeLayer: FileSystemLayer = {
  open: (file, flags) => fs.openSync(file, flags),
  write: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsync: (fd) => fs.fsyncSync(fd),
  truncate: (fd, length) => fs.ftruncateSync(fd, length),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  link: (existing, to) => fs.linkSync(existing, to),
  unlink: (file) => fs.unlinkSync(file),
  mkdir: (dir) => fs.mkdirSync(dir),
};

let current: FileSystemLayer = nodeLayer;

export function fileSystem(): FileSystemLayer {
  return current;
}

/** Installs another layer (tests: a recorder, a full disk); returns the function that restores the previous one. */
export function useFileSystem(layer: FileSystemLayer): () => void {
  const previous = current;
  current = layer;
  return () => {
    current = previous;
  };
}

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/** Writes every byte of `data`, looping over short writes; a write that makes no progress is ENOSPC. */
export function writeAll(fd: number, data: Uint8Array): void {
  const layer = fileSystem();
  let done = 0;
  while (done < data.length) {
    const n = layer.write(fd, data, done, data.length - done);
    if (!(n > 0)) throw errnoError('ENOSPC', `wrote ${done} of ${data.length} bytes`);
    done += n;
  }
}

/** fsyncs a directory, so the names created, renamed or removed in it survive a crash. */
export function syncDirectory(dir: string): void {
  const layer = fileSystem();
  const fd = layer.open(dir, 'r');
  try {
    layer.fsync(fd);
  } finally {
    layer.close(fd);
  }
}

/** mkdir -p whose new levels are durable: each new directory's parent is fsynced. */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      fileSystem().mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      continue;
    }
    syncDirectory(path.dirname(d));
  }
}
