/**
 * Reading a run's events.jsonl back: its text parsed into events, tolerating the torn last
 * line a kill leaves behind, and the order of the checkpoints (the fusion members) in them.
 * Resume, the report, the editor and the tests all read a log through here; only the engine's
 * EventLog (src/engine/store/event-log.ts) appends to one.
 */
import type { BomfEvent, CheckpointEvent } from './events';

export interface ParsedEventLog {
  events: BomfEvent[];
  /** A last line without its newline that does not parse: a write cut short by a kill. */
  tornTail: boolean;
  /** 1-based line numbers of lines in the middle that failed to parse. */
  badLines: number[];
}

/**
 * Parses the text of an events.jsonl file. Tolerates a torn last line (the
 * process was killed mid-write) and reports, without throwing, other bad lines.
 */
export function parseEventLog(text: string): ParsedEventLog {
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  const events: BomfEvent[] = [];
  const badLines: number[] = [];
  let tornTail = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isLast = i === lines.length - 1 && !endsWithNewline;
    try {
      const parsed = JSON.parse(line) as BomfEvent;
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.type !== 'string') {
        throw new Error('not an event');
      }
      events.push(parsed);
    } catch {
      if (isLast) tornTail = true;
      else badLines.push(i + 1);
    }
  });
  return { events, tornTail, badLines };
}

/** The checkpoints stage 2 collected, in collection order (the fusion members' order). */
export function checkpointsInOrder(events: readonly BomfEvent[]): CheckpointEvent[] {
  return events
    .filter((e): e is CheckpointEvent => e.type === 'checkpoint')
    .sort((a, b) => a.index - b.index);
}
