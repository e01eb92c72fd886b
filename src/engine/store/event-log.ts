/**
 * The append-only writer of a run's events.jsonl. Each append writes one full
 * line (every byte) and fsyncs it before returning, so an event that was acted
 * on survives a power cut, and a kill leaves at most one torn last line, which
 * `open` cuts off before continuing. A failed append (a full disk) is cut back
 * off at once, so the next line never continues a torn one.
 */
import * as fs from 'node:fs';
import type { BomfEvent, EventPayload } from '../../contract/events';
import { parseEventLog } from '../../contract/read-event-log';
import { describeWriteError, writeFileAtomic } from '../../train/atomic-write';
import { fileSystem, writeAll } from '../../train/durable-fs';
import { malformedEvents } from './event-shape';

export type EventListener = (event: BomfEvent) => void;

export class EventLog {
  private nextSeq: number;
  private readonly listeners: EventListener[] = [];
  private fd: number;
  /** Bytes of whole lines in the file: where a failed append is cut back to. */
  private size: number;
  /** Set when a failed append could not be cut back: later lines would follow a torn one. */
  private broken: Error | undefined;

  private constructor(
    readonly file: string,
    readonly history: BomfEvent[],
  ) {
    this.nextSeq = history.length === 0 ? 0 : history[history.length - 1]!.seq + 1;
    this.fd = fileSystem().open(file, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Starts a new, empty log. */
  static create(file: string): EventLog {
    writeFileAtomic(file, '');
    return new EventLog(file, []);
  }

  /**
   * Opens an existing log to continue it, dropping a torn last line left by a
   * killed process. Throws when lines in the middle are corrupt: that is not a
   * crash artefact and continuing could mix up the run.
   */
  static open(file: string): EventLog {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the event log ${file}: ${(err as Error).message}`);
    }
    const parsed = parseEventLog(text);
    if (parsed.badLines.length > 0) {
      throw new Error(
        `${file}: lines ${parsed.badLines.join(', ')} are not valid events; the log is corrupt`,
      );
    }
    const [malformed] = malformedEvents(text);
    if (malformed) {
      throw new Error(
        `${file}:${malformed.line}: ${malformed.problem}; the log is corrupt and the run cannot be resumed (bomf report reads the rest)`,
      );
    }
    if (parsed.tornTail || (text.length > 0 && !text.endsWith('\n'))) {
      writeFileAtomic(file, parsed.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
    return new EventLog(file, parsed.events);
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  append(payload: EventPayload): BomfEvent {
    const event = { ...payload, seq: this.nextSeq, time: new Date().toISOString() } as BomfEvent;
    const line = Buffer.from(`${JSON.stringify(event)}\n`);
    if (this.broken) throw this.broken;
    const layer = fileSystem();
    try {
      writeAll(this.fd, line);
      layer.fsync(this.fd);
    } catch (err) {
      const error = describeWriteError(this.file, err);
      try {
        layer.truncate(this.fd, this.size);
      } catch {
        this.broken = error;
      }
      throw error;
    }
    this.size += line.length;
    this.nextSeq++;
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events of one type, in order. */
  ofType<T extends BomfEvent['type']>(type: T): Extract<BomfEvent, { type: T }>[] {
    return this.history.filter((e): e is Extract<BomfEvent, { type: T }> => e.type === type);
  }

  close(): void {
    fileSystem().close(this.fd);
  }
}
