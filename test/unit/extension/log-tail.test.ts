import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import { EventLogTail } from '../../../src/extension/runs/log-tail';

function tempLog(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-tail-')), 'events.jsonl');
}

const line = (seq: number) =>
  `${JSON.stringify({ seq, time: 't', type: 'log', level: 'info', message: `m${seq}` })}\n`;

describe('EventLogTail', () => {
  it('should deliver appended events once, holding a torn last line until it is completed', async () => {
    const file = tempLog();
    const got: number[] = [];
    const tail = new EventLogTail(file, {
      onEvents: (es: BomfEvent[]) => got.push(...es.map((e) => e.seq)),
      pollMs: 60_000,
    });
    await tail.start(); // the file does not exist yet: nothing, no error
    fs.writeFileSync(file, line(0) + line(1));
    await tail.readAppended();
    assert.deepEqual(got, [0, 1]);
    const torn = line(2);
    fs.appendFileSync(file, torn.slice(0, 10));
    await tail.readAppended();
    assert.deepEqual(got, [0, 1]);
    fs.appendFileSync(file, torn.slice(10) + line(3));
    await tail.readAppended();
    await tail.readAppended();
    assert.deepEqual(got, [0, 1, 2, 3]);
    tail.dispose();
  });

  it('should pick up appends by itself through its watcher or polling', async () => {
    const file = tempLog();
    fs.writeFileSync(file, line(0));
    const got: number[] = [];
    let resolveSecond: () => void = () => {};
    const second = new Promise<void>((r) => {
      resolveSecond = r;
    });
    const tail = new EventLogTail(file, {
      onEvents: (es) => {
        got.push(...es.map((e) => e.seq));
        if (got.length >= 2) resolveSecond();
      },
      pollMs: 50,
    });
    await tail.start();
    fs.appendFileSync(file, line(1));
    await second;
    tail.dispose();
    assert.deepEqual(got, [0, 1]);
  });
});
