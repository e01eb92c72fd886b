// Driving the built CLI (bin/bomf.js → dist/engine.js) from tests: runs, event logs, kills.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BomfEvent } from '../../src/contract/events';
import { parseEventLog } from '../../src/contract/read-event-log';

const bin = path.resolve(__dirname, '../../bin/bomf.js');

export function bomf(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
}

export function runEvents(runDir: string): BomfEvent[] {
  return parseEventLog(fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')).events;
}

export function ofType<T extends BomfEvent['type']>(evs: BomfEvent[], type: T) {
  return evs.filter((e): e is Extract<BomfEvent, { type: T }> => e.type === type);
}

/** Starts `bomf run --json-events` and resolves with the child once `predicate` sees an event. */
export function runUntil(
  args: string[],
  predicate: (e: BomfEvent) => boolean,
): Promise<{ child: ChildProcess; seen: BomfEvent[] }> {
  const child = spawn(process.execPath, [bin, ...args, '--json-events'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen: BomfEvent[] = [];
  let buffer = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const e = JSON.parse(line) as BomfEvent;
        seen.push(e);
        if (predicate(e)) resolve({ child, seen });
      }
    });
    child.on('exit', (code) =>
      reject(new Error(`engine exited (${code}) before the awaited event`)),
    );
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}
