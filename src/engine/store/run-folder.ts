/**
 * Run folders: `<output>/<name>-<timestamp>/`, claimed with an exclusive mkdir so
 * two runs never share files, and a lock file that keeps two processes from
 * continuing the same run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { ResolvedConfig } from '../config';

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
  return { paths, config: parse(fs.readFileSync(paths.config, 'utf8')) as ResolvedConfig };
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** Creates a fresh run folder; a suffix keeps two runs started in the same second apart. */
export function createRunFolder(outputDir: string, name: string, now = new Date()): RunPaths {
  fs.mkdirSync(outputDir, { recursive: true });
  const base = `${name}-${timestamp(now)}`;
  for (let attempt = 1; attempt < 1000; attempt++) {
    const dir = path.join(outputDir, attempt === 1 ? base : `${base}-${attempt}`);
    try {
      fs.mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    const paths = runPaths(dir);
    fs.mkdirSync(paths.checkpoints);
    return paths;
  }
  throw new Error(`cannot create a run folder for '${name}' in ${outputDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the run's lock for this process. A lock left by a dead process (killed
 * with -9) is taken over; one held by a live process is an error.
 */
export function acquireRunLock(paths: RunPaths): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(paths.lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(paths.lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(paths.lock, 'utf8'));
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(`${paths.dir} is being run by process ${holder}; stop it first`);
      }
      fs.rmSync(paths.lock, { force: true });
    }
  }
  throw new Error(`cannot lock ${paths.dir}`);
}
