/**
 * What the fault suite's parts share: running the built CLI, reading a run
 * folder, and the checks every interrupted run must pass in the end (the same
 * results as an uninterrupted run, nothing finished done twice, a report, no
 * lock, no leftover temporary files).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { BomfEvent } from '../../src/contract/events';
import { parseEventLog } from '../../src/contract/read-event-log';

export const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'bomf.js');
/**
 * The suite's experiment: the tiny example (every stage in about ten seconds) with one
 * slot. With several slots, results are reproducible given the order in which units finished
 * (docs/scale-out.md), not across two runs, so "identical to an uninterrupted run" needs one
 * completion order, hence one slot wherever the suite compares with the reference run.
 */
export const config = tinyWithSlots(1);
/**
 * The same with two slots, where stage-1 trials run as jobs side by side: for the faults
 * that must behave alike in a job (a full disk), checked for the same kinds of results.
 */
export const twoSlotConfig = tinyWithSlots(2);

function tinyWithSlots(slots: number): string {
  const example = path.join(root, 'examples', 'tiny.bomf.yaml');
  const doc = parse(fs.readFileSync(example, 'utf8')) as {
    data: Record<string, unknown>;
    executor?: unknown;
  };
  for (const split of ['train', 'validation', 'test']) {
    const file = doc.data[split];
    if (typeof file === 'string') doc.data[split] = path.resolve(path.dirname(example), file);
  }
  doc.executor = { kind: 'local', slots };
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-faults-config-')),
    'tiny.bomf.yaml',
  );
  fs.writeFileSync(file, stringify(doc));
  return file;
}

export function bomf(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 600_000 });
}

/** Starts the CLI with --json-events; `onEvent` sees each event as it is written. */
export function startBomf(
  args: string[],
  onEvent: (e: BomfEvent, child: ChildProcess) => void,
): { child: ChildProcess; exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [bin, ...args, '--json-events'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line) onEvent(JSON.parse(line) as BomfEvent, child);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, exited };
}

export function runEvents(runDir: string): BomfEvent[] {
  return parseEventLog(fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')).events;
}

export function ofType<T extends BomfEvent['type']>(evs: readonly BomfEvent[], type: T) {
  return evs.filter((e): e is Extract<BomfEvent, { type: T }> => e.type === type);
}

/** The only run folder under `outDir`. */
export function onlyRunDir(outDir: string): string {
  const dirs = fs.readdirSync(outDir).filter((d) => !d.startsWith('.') && d !== 'lost+found');
  if (dirs.length !== 1) throw new Error(`${outDir} holds ${dirs.length} run folders`);
  return path.join(outDir, dirs[0]!);
}

/** What a run computed, less the numbers: what a run with another completion order must match. */
function kinds(evs: readonly BomfEvent[]) {
  return {
    trials: ofType(evs, 'trial-end')
      .map((e) => [e.trial, e.status])
      .sort(),
    checkpoints: ofType(evs, 'checkpoint').map((e) => e.index),
    fusion: ofType(evs, 'fusion-eval').length,
    selection: ofType(evs, 'selection').length,
    baselines: ofType(evs, 'baseline').map((e) => e.name),
  };
}

/** Everything a run computed, exactly (bit-identical numbers are the promise). */
export function results(evs: readonly BomfEvent[]) {
  return {
    trials: ofType(evs, 'trial-end').map((e) => [e.trial, e.status, e.objective]),
    trialParams: ofType(evs, 'trial-start').map((e) => [e.trial, e.params]),
    checkpoints: ofType(evs, 'checkpoint').map((e) => [e.index, e.step, e.file, e.validation]),
    fusion: ofType(evs, 'fusion-eval').map((e) => [e.index, e.weights, e.validation]),
    pareto: ofType(evs, 'pareto-update').map((e) => [e.front, e.hypervolume, e.evaluations]),
    selection: ofType(evs, 'selection').map((e) => [e.index, e.weights, e.validation, e.test]),
    baselines: ofType(evs, 'baseline').map((e) => [e.name, e.weights, e.validation, e.test]),
  };
}

/** Events that finish a unit of work: once written, never written again. */
const FINISHING = new Set(['trial-end', 'checkpoint', 'fusion-eval', 'baseline', 'selection']);

/**
 * The end state's promises for a run that was interrupted: returns the broken
 * ones (empty when all hold). `before`: the logs as each kill left them.
 * `compare`: 'results' (one slot: the same numbers as the reference run) or
 * 'kinds' (several slots: the same kinds of results, every trial done).
 */
export function checkFinished(
  runDir: string,
  reference: readonly BomfEvent[],
  before: readonly BomfEvent[][],
  compare: 'results' | 'kinds' = 'results',
): string[] {
  const broken: string[] = [];
  const after = runEvents(runDir);
  const fold = compare === 'results' ? results : kinds;
  if (JSON.stringify(fold(after)) !== JSON.stringify(fold(reference)))
    broken.push(`${compare} differ from the uninterrupted run`);
  for (const log of before) {
    for (const e of log.filter((x) => FINISHING.has(x.type))) {
      const kept = after.find((a) => a.seq === e.seq);
      if (JSON.stringify(kept) !== JSON.stringify(e))
        broken.push(`finished event ${e.seq} (${e.type}) was rewritten`);
    }
  }
  if (ofType(after, 'run-end').at(-1)?.status !== 'done') broken.push('the run did not end done');
  for (const f of ['report.json', 'report.md']) {
    if (!fs.existsSync(path.join(runDir, f))) broken.push(`${f} is missing`);
  }
  if (fs.existsSync(path.join(runDir, 'run.lock'))) broken.push('run.lock is left behind');
  const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8'));
  const steps = (report.train.losses as { step: number }[]).map((l) => l.step);
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]!))
    broken.push('train.losses lists a step twice');
  const leftovers = [runDir, path.join(runDir, 'checkpoints')].flatMap((d) =>
    fs.readdirSync(d).filter((f) => f.endsWith('.tmp') || f.includes('.takeover-')),
  );
  if (leftovers.length > 0) broken.push(`temporary files left: ${leftovers.join(', ')}`);
  return broken;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
