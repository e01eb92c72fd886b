/**
 * Records the event log the dashboard and side-panel tests fold: a whole run of the real
 * pipeline with the synthetic lab, made machine-independent (times on a fixed clock,
 * durations from that clock, fixed paths, pid and runtime versions). Everything else is
 * exactly what the engine wrote, member evaluations included, so the fixture cannot drift
 * from the engine: event-fixture.test.ts compares it with test/fixtures/events/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BomfEvent } from '../../../src/contract/events';
import { parseEventLog } from '../../../src/contract/read-event-log';
import { startRun } from '../../../src/engine/pipeline/run';
import { SyntheticLab } from './synthetic-lab';

/** Seed and budgets chosen so the front has several points and two trials fail. */
const CONFIG = `name: sst2-bomf
seed: 3
data:
  train: train.tsv
  text: sentence
  label: label
search:
  budget: 4
  initial: 2
train:
  checkpoints: {count: 6, start: 0}
fusion:
  initial: 3
  budget: 8
`;

const PROJECT = '/home/user/project';
const RUN_ID = 'sst2-bomf-20261120-100000';
const CLOCK_START = Date.parse('2026-11-20T10:00:00.000Z');
/** The fixed clock's tick between consecutive events. */
const TICK_MS = 2000;

/** Runs the pipeline and returns its event log as the fixture's text. */
export async function recordFixtureLog(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-fixture-'));
  try {
    fs.writeFileSync(path.join(dir, 'train.tsv'), 'sentence\tlabel\nfine\t1\n');
    const config = path.join(dir, 'sst2.bomf.yaml');
    fs.writeFileSync(config, CONFIG);
    const lab = new SyntheticLab({ failAboveLearningRate: 1e-4 });
    const outcome = await startRun(config, { labFactory: async () => lab });
    const text = fs.readFileSync(path.join(outcome.runDir, 'events.jsonl'), 'utf8');
    const events = parseEventLog(
      text.replaceAll(outcome.runDir, `${PROJECT}/runs/${RUN_ID}`).replaceAll(dir, PROJECT),
    ).events;
    return `${normalize(events)
      .map((e) => JSON.stringify(e))
      .join('\n')}\n`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const at = (seq: number) => new Date(CLOCK_START + seq * TICK_MS).toISOString();

/** Puts the log on the fixed clock and replaces what differs between machines. */
function normalize(events: readonly BomfEvent[]): BomfEvent[] {
  const begun = new Map<string, number>();
  const since = (key: string, seq: number) => ((seq - (begun.get(key) ?? seq)) * TICK_MS) / 1000;
  return events.map((original) => {
    const e = { ...original, time: at(original.seq) } as BomfEvent;
    switch (e.type) {
      case 'run-start':
        begun.set('run', e.seq);
        return {
          ...e,
          runId: RUN_ID,
          engineVersion: '0.1.0',
          tfjsVersion: '4.22.0',
          nodeVersion: 'v20.0.0',
          pid: 41213,
        };
      case 'stage-start':
        begun.set(e.stage, e.seq);
        return e;
      case 'trial-start':
        begun.set(`trial ${e.trial}`, e.seq);
        return e;
      case 'stage-end':
        return { ...e, seconds: e.seconds > 0 ? since(e.stage, e.seq) : 0 };
      case 'trial-end':
        return { ...e, seconds: since(`trial ${e.trial}`, e.seq) };
      case 'run-end':
        return { ...e, seconds: since('run', e.seq) };
      default:
        return e;
    }
  });
}
