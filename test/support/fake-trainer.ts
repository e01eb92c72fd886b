// The command lab's fake trainer (test/fixtures/command-trainer/fake-trainer.mjs) in a
// run config, and the kills the resume tests need.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BomfEvent } from '../../src/contract/events';
import { createLab } from '../../src/engine/lab/create-lab';
import { startRun } from '../../src/engine/pipeline/run';
import { exited, runUntil } from './cli';

const root = path.resolve(__dirname, '../..');
const fake = path.join(root, 'test', 'fixtures', 'command-trainer', 'fake-trainer.mjs');
const sst2 = path.join(root, 'examples', 'data', 'sst2');

export interface Setup {
  dir: string;
  config: string;
  /** Every start of the fake trainer: "role trial resumeFromStep". */
  starts: () => string[];
  /** Every command that ended: its role, trial number or split, and when it ran. */
  spans: () => Span[];
}

export interface Span {
  role: string;
  what: string;
  start: number;
  end: number;
}

/** The most spans running at one instant. */
export function maxOverlap(spans: readonly Span[]): number {
  return Math.max(
    0,
    ...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length),
  );
}

/** One slot unless asked: the tests that count starts need trials one after another. */
export function setup(
  env: Record<string, string>,
  search = { budget: 3, initial: 2 },
  run = { slots: 1, fusionBudget: 2 },
): Setup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-cmd-'));
  const log = path.join(dir, 'starts.log');
  const spansLog = path.join(dir, 'spans.log');
  const command = `['\${python}', ${JSON.stringify(fake)}, '\${params_file}', '\${out_dir}']`;
  const config = path.join(dir, 'fake.bomf.yaml');
  fs.writeFileSync(
    config,
    `name: fake
data:
  train: ${path.join(sst2, 'train.tsv')}
  test: ${path.join(sst2, 'dev.tsv')}
  text: sentence
  label: label
  limit: { train: 40, validation: 20, test: 20 }
trainer:
  type: command
  python: ${process.execPath}
  trial: ${command}
  train: ${command}
  evaluate: ${command}
  env: ${JSON.stringify({ FAKE_LOG: log, FAKE_SPANS: spansLog, ...env })}
search:
  budget: ${search.budget}
  initial: ${search.initial}
  parameters:
    learningRate: { low: 1.0e-4, high: 1.0e-2, log: true }
train:
  checkpoints: { count: 3, start: 0.5 }
fusion:
  budget: ${run.fusionBudget}
executor: { slots: ${run.slots} }
baselines: [last]
`,
  );
  const lines = (file: string) =>
    fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  const spans = () =>
    lines(spansLog).map((l) => {
      const [role, what, start, end] = l.split(' ');
      return { role: role!, what: what!, start: Number(start), end: Number(end) };
    });
  return { dir, config, starts: () => lines(log), spans };
}

export const run = (s: Setup) =>
  startRun(s.config, { labFactory: createLab, outDir: path.join(s.dir, 'runs') });

/** The job a trainer command runs as: its pid (the group leader) from the job folder. */
export function jobPid(jobDir: string): number {
  const { id } = JSON.parse(fs.readFileSync(path.join(jobDir, 'job.json'), 'utf8'));
  return Number(String(id).split(':')[0]);
}

export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** kill -9 of the driver at `when`; with `jobToo`, of the running command's process group as well. */
export async function killDriver(
  s: Setup,
  when: (e: BomfEvent) => boolean,
  jobDir: (runDir: string) => string,
  jobToo: boolean,
): Promise<string> {
  const out = path.join(s.dir, 'runs');
  const { child, seen } = await runUntil(['run', s.config, '--out', out], when);
  const runDir = (seen[0] as Extract<BomfEvent, { type: 'run-start' }>).runDir;
  // The command has started once it has written a metrics line.
  await waitFor(() => fs.existsSync(path.join(jobDir(runDir), 'metrics.jsonl')));
  child.kill('SIGKILL');
  await exited(child);
  if (jobToo) process.kill(-jobPid(jobDir(runDir)), 'SIGKILL');
  return runDir;
}
