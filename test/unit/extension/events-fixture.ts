// The recorded event log shared with the webview tests, and helpers for small hand-made logs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BomfEvent, parseEventLog } from '../../../src/contract/events';

export const FIXTURE = path.resolve(
  __dirname,
  '..',
  '..',
  'fixtures',
  'events',
  'finished-run.jsonl',
);

export function finishedRun(): BomfEvent[] {
  const parsed = parseEventLog(fs.readFileSync(FIXTURE, 'utf8'));
  if (parsed.badLines.length > 0 || parsed.tornTail) throw new Error('fixture has bad lines');
  return parsed.events;
}

/** Gives `seq`/`time` to hand-written payloads, numbering from `from`. */
export function sequence(payloads: readonly object[], from = 0): BomfEvent[] {
  return payloads.map(
    (p, i) => ({ seq: from + i, time: '2026-01-01T00:00:00.000Z', ...p }) as BomfEvent,
  );
}
