// What a run records at its start, and what a run that never started leaves behind.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseEventLog } from '../../../src/contract/read-event-log';
import { startRun } from '../../../src/engine/pipeline/run';
import type { DataSummary } from '../../../src/train/data/summary';
import { SyntheticLab } from './synthetic-lab';

const CONFIG = `name: start
data:
  train: train.tsv
  text: sentence
  label: label
search: {budget: 2, initial: 2}
train:
  checkpoints: {count: 2}
fusion: {budget: 3}
baselines: [last]
`;

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-start-'));
  fs.writeFileSync(path.join(dir, 'train.tsv'), 'sentence\tlabel\nfine\t1\n');
  fs.writeFileSync(path.join(dir, 'start.bomf.yaml'), CONFIG);
  return path.join(dir, 'start.bomf.yaml');
}

const SUMMARY: DataSummary = {
  task: 'classification',
  labels: ['0', '1'],
  splits: [
    { split: 'train', rows: 1, classCounts: [0, 1], textLength: { p5: 4, p50: 4, p95: 4, max: 4 } },
  ],
  warnings: [],
};

class SummaryLab extends SyntheticLab {
  dataSummary(): DataSummary {
    return SUMMARY;
  }
}

// Bug caught: the summary not recorded, or recorded before run-start (folds reset on run-start).
test("the lab's data summary is the event right after run-start", async () => {
  const outcome = await startRun(workspace(), { labFactory: async () => new SummaryLab() });
  assert.equal(outcome.status, 'done');
  const { events } = parseEventLog(
    fs.readFileSync(path.join(outcome.runDir, 'events.jsonl'), 'utf8'),
  );
  assert.deepEqual(
    events.slice(0, 2).map((e) => e.type),
    ['run-start', 'data-summary'],
  );
  const {
    type: _t,
    seq: _s,
    time: _time,
    ...recorded
  } = events[1] as Extract<(typeof events)[number], { type: 'data-summary' }>;
  assert.deepEqual(recorded, SUMMARY);
});

// Bug caught: a run whose lab could not load the data or model writing report.md with a
// blank header and report.json with an empty name and run id (it had no run-start). The log
// now says whose run it is (backend 'unavailable'), so the report names it and its error.
test('a run that fails while its lab sets up reports its name and the reason', async () => {
  const outcome = await startRun(workspace(), {
    labFactory: async () => {
      throw new Error('the model cannot be loaded');
    },
  });
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error!.message, /cannot be loaded/);
  const report = JSON.parse(fs.readFileSync(path.join(outcome.runDir, 'report.json'), 'utf8'));
  assert.notEqual(report.name, '');
  assert.equal(report.runId, path.basename(outcome.runDir));
  assert.equal(report.backend, 'unavailable');
  assert.equal(report.status, 'failed');
  assert.ok(report.errors.some((e: string) => /cannot be loaded/.test(e)));
});
