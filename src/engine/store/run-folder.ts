/**
 * Run folders: `<output>/<name>-<timestamp>/`, claimed with an exclusive mkdir so
 * two runs never share files (run-lock.ts keeps two processes from continuing
 * the same run), and the one way to turn a path read from a run's files into a
 * path on disk: confined to the folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { fileSystem, makeDirectory, syncDirectory } from '../../train/durable-fs';
import type { ResolvedConfig } from '../config';
import { isProcessAlive } from './process-identity';

export interface RunPaths {
  dir: string;
  config: string;
  events: string;
  checkpoints: string;
  fused: string;
  reportJson: string;
  reportMd: string;
  lock: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: path.join(dir, 'config.resolved.yaml'),
    events: path.join(dir, 'events.jsonl'),
    checkpoints: path.join(dir, 'checkpoints'),
    fused: path.join(dir, 'fused'),
    reportJson: path.join(dir, 'report.json'),
    reportMd: path.join(dir, 'report.md'),
    lock: path.join(dir, 'run.lock'),
  };
}

/**
 * An existing run folder: its paths and the config it was run with. Throws a
 * message naming the folder when it is not a run folder.
 */
export function openRunFolder(runDir: string): { paths: RunPaths; config: ResolvedConfig } {
  const paths = runPaths(path.resolve(runDir));
  if (!fs.existsSync(paths.config) || !fs.existsSync(paths.events)) {
    throw new Error(
      `${runDir} is not a run folder (config.resolved.yaml and events.jsonl are expected)`,
    );
  }
  return { paths, config: upgradeResolved(parse(fs.readFileSync(paths.config, 'utf8'))) };
}

/**
 * A run folder's resolved config in today's shape: folders written before a setting existed
 * ran with what is now its default, so resume, fuse and report see one shape.
 */
function upgradeResolved(saved: ResolvedConfig): ResolvedConfig {
  // model.pairEncoding arrived with the bi-encoder; every earlier run read pairs as one sequence.
  // (A config without a model section, hand-made, is left for the callers that need one.)
  if (saved.model === undefined || saved.model.pairEncoding !== undefined) return saved;
  return { ...saved, model: { ...saved.model, pairEncoding: 'cross' } };
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** Creates a fresh run folder; a suffix keeps two runs started in the same second apart. */
export function createRunFolder(outputDir: string, name: string, now = new Date()): RunPaths {
  makeDirectory(outputDir);
  const base = `${name}-${timestamp(now)}`;
  for (let attempt = 1; attempt < 1000; attempt++) {
    const dir = path.join(outputDir, attempt === 1 ? base : `${base}-${attempt}`);
    try {
      fileSystem().mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    syncDirectory(outputDir);
    const paths = runPaths(dir);
    makeDirectory(paths.checkpoints);
    return paths;
  }
  throw new Error(`cannot create a run folder for '${name}' in ${outputDir}`);
}

/**
 * `relative` (a path read from the event log or another file of the run) as an
 * absolute path inside `runDir`. Throws, naming `what`, when it would lead
 * outside the folder (`..`, an absolute path, a symbolic link out of it): a
 * crafted log must not make bomf read, copy or overwrite files elsewhere.
 */
export function resolveInRunFolder(runDir: string, relative: string, what: string): string {
  const root = path.resolve(runDir);
  const target = path.resolve(root, relative);
  const inside = (from: string, to: string) => {
    const rel = path.relative(from, to);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  let real = target;
  try {
    real = path.join(fs.realpathSync(path.dirname(target)), path.basename(target));
    if (fs.lstatSync(real).isSymbolicLink()) real = fs.realpathSync(real);
  } catch {
    // Not there (yet): the lexical check below is all there is to check.
  }
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // The folder itself is missing; callers report that.
  }
  if (!inside(root, target) || !inside(realRoot, real)) {
    throw new Error(
      `${what} '${relative}' points outside the run folder ${runDir}; refusing to use it`,
    );
  }
  return target;
}

/** A temporary file of writeFileAtomic or the run lock: `<name>.<pid>.<n>.tmp`. */
const TEMP_FILE = /\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Removes what writers killed mid-write left in a run folder: temporary files
 * of processes that are gone (a checkpoint's is the size of the model) and
 * takeover markers of the lock, moot once the caller holds the lock.
 */
export function removeLeftovers(paths: RunPaths): void {
  for (const dir of [paths.dir, paths.checkpoints]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const temp = TEMP_FILE.exec(name);
      const stale = temp
        ? !isProcessAlive(Number(temp[1]))
        : name.startsWith(`${path.basename(paths.lock)}.takeover-`);
      if (stale) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
