/**
 * Follows a growing events.jsonl (a run started before a window reload, or by the
 * CLI): reads what was appended since the last read, on fs.watch notifications
 * and on a polling timer, because fs.watch misses changes on some file systems
 * (network drives, containers) and fires before the file exists.
 */
import * as fs from 'node:fs';
import type { BomfEvent } from '../../contract/events';
import { JsonLinesReader } from './json-lines';

export interface LogTailOptions {
  /** Called with the events completed by each read, in file order. */
  onEvents(events: BomfEvent[]): void;
  /** A read failed for another reason than a missing file (permissions, I/O). */
  onError?(err: Error): void;
  /** Interval of the polling fallback (ms). */
  pollMs?: number;
}

export class EventLogTail {
  private readonly reader = new JsonLinesReader<BomfEvent>();
  private offset = 0;
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private disposed = false;

  constructor(
    private readonly file: string,
    private readonly options: LogTailOptions,
  ) {}

  /** Reads the file so far, then keeps following it until `dispose()`. */
  async start(): Promise<void> {
    await this.readAppended();
    if (this.disposed) return;
    try {
      this.watcher = fs.watch(this.file, () => void this.readAppended());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // Polling alone still follows the file.
    }
    this.timer = setInterval(() => void this.readAppended(), this.options.pollMs ?? 1000);
  }

  /** Reads everything appended since the last read (coalescing overlapping calls). */
  readAppended(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.disposed);
    })().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(this.file, 'r');
      const { size } = await handle.stat();
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      // A torn last line stays in the reader until the engine finishes writing it.
      const { values } = this.reader.push(buffer.subarray(0, bytesRead));
      if (values.length > 0 && !this.disposed) this.options.onEvents(values);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.options.onError?.(err as Error);
    } finally {
      await handle?.close();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }
}
