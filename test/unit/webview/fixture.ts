// Loads the recorded event logs of test/fixtures/events/ and folds them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BomfEvent, parseEventLog } from '../../../src/contract/events';
import { emptyRunData, foldEvents, type RunData } from '../../../src/webview/model/run-data';

const dir = path.resolve(__dirname, '..', '..', 'fixtures', 'events');

export function fixtureEvents(name = 'finished-run.jsonl'): BomfEvent[] {
  const parsed = parseEventLog(fs.readFileSync(path.join(dir, name), 'utf8'));
  if (parsed.badLines.length > 0 || parsed.tornTail) throw new Error(`${name}: bad lines`);
  return parsed.events;
}

export function foldAll(events: readonly BomfEvent[]): RunData {
  const run = emptyRunData();
  foldEvents(run, events);
  return run;
}

/** Gives `seq`/`time` to hand-written payloads so small cases stay short. */
export function sequence(payloads: readonly object[]): BomfEvent[] {
  return payloads.map((p, seq) => ({ seq, time: '2026-01-01T00:00:00.000Z', ...p }) as BomfEvent);
}
