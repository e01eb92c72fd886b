/**
 * A file-system layer (src/train/durable-fs.ts) that performs every call on the
 * real disk and, beside it, models what a power cut would leave: each file's
 * bytes as of its last fsync, and each directory's names as of the directory's
 * last fsync (a new, renamed or linked name is lost until then, as on ext4).
 * After every call it checks the run folder's promises against that crash
 * image:
 *  - a `checkpoint` event that survives names a file that survives whole;
 *  - the event log is durable before anything else is changed (an event that
 *    was acted on is never lost).
 * `drop` leaves chosen fsyncs out, to show that the checks catch a missing one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSystemLayer } from '../../src/train/durable-fs';

interface Inode {
  volatile: Buffer;
  durable: Buffer;
}

type Entry = Inode | 'dir';

export interface CrashModelOptions {
  /** Leave out fsyncs (a file's path or a directory's) for which this returns true. */
  drop?: (target: string) => boolean;
}

export class CrashModelFs implements FileSystemLayer {
  /** Names as the running system sees them, and as a power cut would leave them. */
  private readonly live = new Map<string, Entry>();
  private readonly durable = new Map<string, Entry>();
  private readonly fds = new Map<number, { path: string; inode?: Inode }>();
  readonly violations: string[] = [];
  readonly calls: string[] = [];

  constructor(private readonly opts: CrashModelOptions = {}) {}

  /** The run's event log, once created through this layer. */
  private eventLog(): string | undefined {
    for (const name of this.live.keys()) if (path.basename(name) === 'events.jsonl') return name;
    return undefined;
  }

  open(file: string, flags: 'r' | 'w' | 'a'): number {
    const fd = fs.openSync(file, flags);
    if (fs.fstatSync(fd).isDirectory()) {
      this.fds.set(fd, { path: file });
      return fd;
    }
    let inode = this.live.get(file);
    if (inode === undefined || inode === 'dir' || flags === 'w') {
      // A file from before the layer was installed counts as durable as it is.
      const known = flags === 'w' ? Buffer.alloc(0) : fs.readFileSync(file);
      const fresh: Inode = { volatile: known, durable: Buffer.from(known) };
      if (inode === undefined && flags !== 'w') this.durable.set(file, fresh);
      inode = fresh;
      this.live.set(file, inode);
    }
    this.fds.set(fd, { path: file, inode });
    return fd;
  }

  write(fd: number, data: Uint8Array, offset: number, length: number): number {
    this.beforeChange(`write ${this.fds.get(fd)?.path}`);
    const n = fs.writeSync(fd, data, offset, length);
    const inode = this.fds.get(fd)!.inode!;
    inode.volatile = Buffer.concat([inode.volatile, data.subarray(offset, offset + n)]);
    return n;
  }

  fsync(fd: number): void {
    const { path: target, inode } = this.fds.get(fd)!;
    this.calls.push(`fsync ${target}`);
    if (this.opts.drop?.(target)) return;
    fs.fsyncSync(fd);
    if (inode) {
      inode.durable = Buffer.from(inode.volatile);
    } else {
      for (const name of new Set([...this.live.keys(), ...this.durable.keys()])) {
        if (path.dirname(name) !== target) continue;
        const entry = this.live.get(name);
        if (entry === undefined) this.durable.delete(name);
        else this.durable.set(name, entry);
      }
    }
    this.check();
  }

  truncate(fd: number, length: number): void {
    this.beforeChange(`truncate ${this.fds.get(fd)?.path}`);
    fs.ftruncateSync(fd, length);
    const inode = this.fds.get(fd)!.inode!;
    inode.volatile = inode.volatile.subarray(0, length);
  }

  close(fd: number): void {
    fs.closeSync(fd);
    this.fds.delete(fd);
  }

  rename(from: string, to: string): void {
    this.beforeChange(`rename ${from} ${to}`);
    fs.renameSync(from, to);
    this.live.set(to, this.entryAt(from, to));
    this.live.delete(from);
  }

  link(existing: string, to: string): void {
    this.beforeChange(`link ${existing} ${to}`);
    fs.linkSync(existing, to);
    this.live.set(to, this.entryAt(existing, to));
  }

  /**
   * What `name` (now also at `onDisk`) holds: as the layer saw it made, or, when it was made
   * outside the layer (a staging folder, a file written directly), as it is on disk, durable.
   */
  private entryAt(name: string, onDisk: string): Entry {
    const known = this.live.get(name);
    if (known !== undefined) return known;
    if (fs.statSync(onDisk).isDirectory()) return 'dir';
    const data = fs.readFileSync(onDisk);
    return { volatile: data, durable: Buffer.from(data) };
  }

  /** Whether `file` would still be there after a power cut now. */
  wouldSurvive(file: string): boolean {
    return this.survives(file);
  }

  unlink(file: string): void {
    this.beforeChange(`unlink ${file}`);
    fs.unlinkSync(file);
    this.live.delete(file);
  }

  mkdir(dir: string): void {
    this.beforeChange(`mkdir ${dir}`);
    fs.mkdirSync(dir);
    this.live.set(dir, 'dir');
  }

  /** Whether `file` would exist after a power cut now (its name and every new folder above it). */
  private survives(file: string): boolean {
    for (let p = file; p !== path.dirname(p); p = path.dirname(p)) {
      // Names the layer never saw being made were there before: durable.
      if (this.live.has(p) && !this.durable.has(p)) return false;
    }
    return true;
  }

  private beforeChange(call: string): void {
    this.calls.push(call);
    const log = this.eventLog();
    const inode = log && this.live.get(log);
    if (inode && inode !== 'dir' && !inode.volatile.equals(inode.durable)) {
      this.violations.push(`${call}: the event log's last append is not durable yet`);
    }
  }

  /** The crash image's promises: every surviving checkpoint event names a whole, surviving file. */
  private check(): void {
    const log = this.eventLog();
    const inode = log && this.durable.get(log);
    if (!log || !inode || inode === 'dir' || !this.survives(log)) return;
    const text = inode.durable.toString('utf8');
    for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
      if (line === '') continue;
      const e = JSON.parse(line) as { type: string; seq: number; file?: string };
      if (e.type !== 'checkpoint') continue;
      const file = path.resolve(path.dirname(log), e.file!);
      const data = this.durable.get(file);
      const why = !this.survives(file)
        ? 'its name is not durable'
        : data === undefined || data === 'dir' || !data.durable.equals(data.volatile)
          ? 'its data is not durable'
          : undefined;
      if (why)
        this.violations.push(
          `checkpoint event ${e.seq} survives a crash, ${e.file} does not: ${why}`,
        );
    }
  }
}
