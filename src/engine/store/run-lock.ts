/**
 * The run lock: `run.lock` names the one process that may write a run folder,
 * as JSON {pid, startTicks, host, token}. It is created whole (written to a
 * temporary file, then hard-linked into place: link fails if the name exists),
 * so it is never seen empty or half-written. A lock whose holder is gone
 * (killed with -9: dead, a zombie, or its pid reused by another process) is
 * taken over; taking over replaces it with a rename under a marker file named
 * after the stale lock's contents, created the same exclusive way, so of
 * several processes that find the same stale lock exactly one wins. Release
 * deletes the lock only if it still holds this process's token.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSystem, syncDirectory, writeAll } from '../../train/durable-fs';
import { isProcessAlive, processStartTicks } from './process-identity';

interface LockHolder {
  pid: number;
  startTicks?: string;
  host?: string;
  token?: string;
}

/** A stale lock is taken over under a marker; a marker left by a taker killed mid-way under another. */
const MAX_TAKEOVER_DEPTH = 8;
const MAX_ATTEMPTS = 100;

/** Thrown when another live process holds the run, or the lock cannot be judged. */
export class RunLockError extends Error {
  override name = 'RunLockError';
}

function ownText(): string {
  const holder: LockHolder = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    host: os.hostname(),
    token: randomBytes(8).toString('hex'),
  };
  return `${JSON.stringify(holder)}\n`;
}

function readLock(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The holder a lock's text names; 'empty' for a file cut off before its contents; undefined when garbled. */
function parseHolder(text: string): LockHolder | 'empty' | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty';
  // Engines before 0.2 wrote the bare pid.
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const h = JSON.parse(trimmed) as LockHolder;
    return Number.isInteger(h.pid) && h.pid > 0 ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `text` to a fresh temporary sibling of `file` and fsyncs it. */
function writeTemp(file: string, text: string): string {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const layer = fileSystem();
  const fd = layer.open(temp, 'w');
  try {
    writeAll(fd, Buffer.from(text));
    layer.fsync(fd);
  } finally {
    layer.close(fd);
  }
  return temp;
}

/** Creates `file` holding `text` unless it exists; true when created. */
function createWhole(file: string, text: string): boolean {
  const layer = fileSystem();
  const temp = writeTemp(file, text);
  try {
    layer.link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    layer.unlink(temp);
    syncDirectory(path.dirname(file));
  }
  return true;
}

function replaceWhole(file: string, text: string): void {
  fileSystem().rename(writeTemp(file, text), file);
  syncDirectory(path.dirname(file));
}

/** Deletes `file` if it still holds `text` (ours); never another process's lock. */
function releaseIfOwn(file: string, text: string): void {
  if (readLock(file) !== text) return;
  fileSystem().unlink(file);
  syncDirectory(path.dirname(file));
}

/** Why `text` does not belong to a stale holder, as an error; undefined when its holder is gone. */
function liveHolderError(runDir: string, file: string, text: string): RunLockError | undefined {
  const holder = parseHolder(text);
  if (holder === 'empty') return undefined;
  const remedy = `if no bomf process is running ${runDir}, delete ${file} and resume again`;
  if (holder === undefined) {
    return new RunLockError(
      `${file} is not a lock this engine can read (${JSON.stringify(text.slice(0, 80))}); ${remedy}`,
    );
  }
  if (holder.host !== undefined && holder.host !== os.hostname()) {
    return new RunLockError(
      `${runDir} is locked by process ${holder.pid} on host ${holder.host}, which this machine cannot check; ${remedy}`,
    );
  }
  // A bare-pid lock of this very pid predates this process (it writes JSON): stale.
  if (holder.startTicks === undefined && holder.pid === process.pid) return undefined;
  if (!isProcessAlive(holder.pid, holder.startTicks)) return undefined;
  return new RunLockError(
    `${runDir} is being run by process ${holder.pid}; stop it first (bomf resume refuses to run one folder twice)`,
  );
}

function acquire(runDir: string, file: string, mine: string, depth: number): void {
  if (depth > MAX_TAKEOVER_DEPTH) {
    throw new RunLockError(`cannot take over ${file}: too many takeovers were cut short`);
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createWhole(file, mine)) return;
    const seen = readLock(file);
    if (seen === undefined) continue; // released meanwhile: try to create it again
    const busy = liveHolderError(runDir, file, seen);
    if (busy) throw busy;
    // Stale. Only the holder of this stale lock's marker may replace it, and only if it is unchanged.
    const marker = `${file}.takeover-${createHash('sha1').update(seen).digest('hex').slice(0, 16)}`;
    acquire(runDir, marker, mine, depth + 1);
    try {
      if (readLock(file) === seen) {
        replaceWhole(file, mine);
        return;
      }
    } finally {
      releaseIfOwn(marker, mine);
    }
  }
  throw new RunLockError(`cannot lock ${runDir}: other processes keep taking it`);
}

/**
 * Takes `runDir`'s lock for this process and returns its release. A lock left
 * by a process that is gone is taken over; one held by a live process, one on
 * another host, or one that cannot be read is a RunLockError saying what to do.
 */
export function acquireRunLock(runDir: string, lockFile: string): () => void {
  const mine = ownText();
  acquire(runDir, lockFile, mine, 0);
  return () => releaseIfOwn(lockFile, mine);
}
