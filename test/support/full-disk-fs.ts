/**
 * A file-system layer for src/train/durable-fs.ts whose disk fills up at the k-th
 * write: that write stores only half its bytes (a short write, as write(2) does
 * when space runs out) and every later write fails with ENOSPC until `free()`.
 */
import * as fs from 'node:fs';
import type { FileSystemLayer } from '../../src/train/durable-fs';

export class FullDiskFs implements FileSystemLayer {
  writes = 0;
  private full = false;

  /** `failAt`: which write (1-based) runs out of space; `only`: count only writes to matching files. */
  constructor(
    private readonly failAt: number,
    private readonly only: (file: string) => boolean = () => true,
  ) {}

  private readonly paths = new Map<number, string>();

  free(): void {
    this.full = false;
  }

  open(file: string, flags: 'r' | 'w' | 'a'): number {
    const fd = fs.openSync(file, flags);
    this.paths.set(fd, file);
    return fd;
  }

  write(fd: number, data: Uint8Array, offset: number, length: number): number {
    if (!this.only(this.paths.get(fd) ?? '')) return fs.writeSync(fd, data, offset, length);
    if (this.full)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    if (++this.writes === this.failAt) {
      this.full = true;
      return fs.writeSync(fd, data, offset, Math.max(1, length >> 1));
    }
    return fs.writeSync(fd, data, offset, length);
  }

  fsync = (fd: number) => fs.fsyncSync(fd);
  truncate = (fd: number, length: number) => fs.ftruncateSync(fd, length);
  close = (fd: number) => {
    this.paths.delete(fd);
    fs.closeSync(fd);
  };
  rename = (from: string, to: string) => fs.renameSync(from, to);
  link = (existing: string, to: string) => fs.linkSync(existing, to);
  unlink = (file: string) => fs.unlinkSync(file);
  mkdir = (dir: string) => fs.mkdirSync(dir);
}
