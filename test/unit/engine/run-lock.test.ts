// The run lock against the holders the fault battery met: a zombie, a reused pid, an empty or
// garbled file, another host, a live process; and a release that must not delete another's lock.
// Many processes contending for one lock at once are in test/faults/ (npm run test:faults).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isProcessAlive, processStartTicks } from '../../../src/engine/store/process-identity';
import { acquireRunLock } from '../../../src/engine/store/run-lock';

function runDir(lockText?: string): { dir: string; lock: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-lock-'));
  const lock = path.join(dir, 'run.lock');
  if (lockText !== undefined) fs.writeFileSync(lock, lockText);
  return { dir, lock };
}

function holderOf(lock: string): { pid: number; startTicks?: string; token?: string } {
  return JSON.parse(fs.readFileSync(lock, 'utf8'));
}

/** A zombie: a child of `sleep` (which never reaps it) that has exited. */
async function zombiePid(): Promise<{ pid: number; parent: ReturnType<typeof spawn> }> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = await new Promise<number>((resolve) =>
    parent.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))),
  );
  for (
    let i = 0;
    i < 100 && fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
    i++
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return { pid, parent };
}

test('a zombie holder is dead: its lock is taken over (kill(pid, 0) alone says alive)', async () => {
  const { pid, parent } = await zombiePid();
  try {
    assert.equal(isProcessAlive(pid), false);
    const { dir, lock } = runDir(JSON.stringify({ pid, host: os.hostname() }));
    const release = acquireRunLock(dir, lock);
    assert.equal(holderOf(lock).pid, process.pid);
    release();
  } finally {
    parent.kill('SIGKILL');
  }
});

test('a live pid with another start time is a reused pid: taken over', () => {
  // pid 1 lives, but the recorded start time is not its own.
  const { dir, lock } = runDir(JSON.stringify({ pid: 1, startTicks: '1', host: os.hostname() }));
  assert.notEqual(processStartTicks(1), '1');
  const release = acquireRunLock(dir, lock);
  assert.equal(holderOf(lock).pid, process.pid);
  assert.deepEqual(
    fs.readdirSync(dir),
    ['run.lock'],
    'no takeover marker or temporary file is left',
  );
  release();
});

test('a live holder (same pid and start time) keeps the run: the message names it', () => {
  const mine = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    host: os.hostname(),
  };
  const { dir, lock } = runDir(JSON.stringify(mine));
  assert.throws(
    () => acquireRunLock(dir, lock),
    new RegExp(`being run by process ${process.pid}; stop it first`),
  );
  assert.deepEqual(holderOf(lock), mine, 'the live lock is untouched');
});

test('an empty lock (cut off before its contents by an older engine) is taken over', () => {
  const { dir, lock } = runDir('');
  acquireRunLock(dir, lock)();
  assert.ok(!fs.existsSync(lock));
});

test('a garbled lock or one from another host is refused with what to do', () => {
  const garbled = runDir('\u0000\u0001junk');
  assert.throws(
    () => acquireRunLock(garbled.dir, garbled.lock),
    /is not a lock this engine can read.*delete .*run\.lock and resume again/,
  );
  const remote = runDir(JSON.stringify({ pid: 1, startTicks: '5', host: 'node-17' }));
  assert.throws(
    () => acquireRunLock(remote.dir, remote.lock),
    /locked by process 1 on host node-17.*delete .*run\.lock and resume again/,
  );
});

test('release deletes only a lock that is still ours', () => {
  const { dir, lock } = runDir();
  const release = acquireRunLock(dir, lock);
  assert.equal(holderOf(lock).pid, process.pid);
  // Someone else's lock now stands there (e.g. after a mistaken manual delete and a new run).
  const other = JSON.stringify({ pid: 1, startTicks: processStartTicks(1), host: os.hostname() });
  fs.writeFileSync(lock, other);
  release();
  assert.equal(fs.readFileSync(lock, 'utf8'), other);
});

test('a second lock in the same process is refused until the first is released', () => {
  const { dir, lock } = runDir();
  const release = acquireRunLock(dir, lock);
  assert.throws(() => acquireRunLock(dir, lock), /being run by process/);
  release();
  acquireRunLock(dir, lock)();
  // No temporary files or takeover markers are left behind.
  assert.deepEqual(fs.readdirSync(dir), []);
});
