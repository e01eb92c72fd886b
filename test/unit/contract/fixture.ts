// The recorded event log every layer's tests fold (regenerated from the engine by
// test/unit/engine/event-fixture.test.ts), and a helper for small hand-made logs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BomfEvent, EVENT_SCHEMA_VERSION } from '../../../src/contract/events';
import { emptyRunFold, foldEvents, type RunFold } from '../../../src/contract/fold';
import { parseEventLog } from '../../../src/contract/read-event-log';

export const FIXTURE = path.resolve(
  __dirname,
  '..',
  '..',
  'fixtures',
  'events',
  'finished-run.jsonl',
);

export function fixtureEvents(): BomfEvent[] {
  const parsed = parseEventLog(fs.readFileSync(FIXTURE, 'utf8'));
  if (parsed.badLines.length > 0 || parsed.tornTail) throw new Error(`${FIXTURE}: bad lines`);
  return parsed.events;
}

export function foldAll(events: readonly BomfEvent[]): RunFold {
  const run = emptyRunFold();
  foldEvents(run, events);
  return run;
}

/**
 * Gives `seq`/`time` to hand-written payloads, numbering from `from`, so small cases stay
 * short; a run-start gets the current schema version unless the payload names one.
 */
export function sequence(payloads: readonly object[], from = 0): BomfEvent[] {
  return payloads.map((p, i) => {
    const schema =
      (p as { type?: string }).type === 'run-start' ? { schemaVersion: EVENT_SCHEMA_VERSION } : {};
    return { seq: from + i, time: '2026-01-01T00:00:00.000Z', ...schema, ...p } as BomfEvent;
  });
}
