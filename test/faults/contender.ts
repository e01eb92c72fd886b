/**
 * One of several processes fighting for one run lock, round after round.
 * Each round waits for the coordinator's `go-R` file, then tries to take the
 * lock; a winner proves it holds it alone by creating `holder` exclusively,
 * keeps it a few milliseconds, removes it and releases. Prints one line per
 * round: `won`, `lost` or `BOTH` (the exclusive create failed: two holders).
 * Usage: contender.ts DIR ROUNDS ID
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireRunLock, RunLockError } from '../../src/engine/store/run-lock';

const [dir, rounds, id] = process.argv.slice(2) as [string, string, string];
const lock = path.join(dir, 'run.lock');
const holder = path.join(dir, 'holder');
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

fs.writeFileSync(path.join(dir, `ready-${id}`), '');
for (let r = 0; r < Number(rounds); r++) {
  while (!fs.existsSync(path.join(dir, `go-${r}`))) pause(1);
  let outcome = 'lost';
  try {
    const release = acquireRunLock(dir, lock);
    try {
      fs.writeFileSync(holder, id, { flag: 'wx' });
      outcome = 'won';
      pause(2 + (r % 5));
      fs.rmSync(holder);
    } catch {
      outcome = 'BOTH';
    }
    release();
  } catch (err) {
    if (!(err instanceof RunLockError)) outcome = `error ${(err as Error).message}`;
  }
  // Renamed into place: the coordinator polls for the name and must never read it half written.
  const done = path.join(dir, `done-${r}-${id}`);
  fs.writeFileSync(`${done}.tmp`, outcome);
  fs.renameSync(`${done}.tmp`, done);
}
