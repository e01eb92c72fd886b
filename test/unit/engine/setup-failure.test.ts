// A run whose lab cannot be set up (bad data, missing model) is filed under its config,
// says what failed, and is not offered a Resume that would fail the same way.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseEventLog } from '../../../src/contract/read-event-log';
import { startRun } from '../../../src/engine/pipeline/run';
import {
  canResume,
  emptyRunModel,
  foldEvents,
  runState,
} from '../../../src/extension/runs/run-model';
import { describeNode } from '../../../src/extension/tree/node-view';
import { sequence } from '../contract/fixture';

test('a lab that fails to set up still leaves a run-start, and the tree offers no Resume', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-setup-'));
  try {
    fs.writeFileSync(path.join(dir, 'train.tsv'), 'sentence\tlabel\nfine\t1\n');
    const config = path.join(dir, 'x.bomf.yaml');
    fs.writeFileSync(
      config,
      'name: x\ndata:\n  train: train.tsv\n  text: sentense\n  label: label\n',
    );
    const outcome = await startRun(config, {
      labFactory: async () => {
        throw new Error("train.tsv has no column 'sentense' (columns: sentence, label)");
      },
    });
    assert.equal(outcome.status, 'failed');
    // The CLI's next step agrees with the tree: fix and start anew, not a resume that fails again.
    assert.match(outcome.nextStep ?? '', /start a new run: bomf run .*x\.bomf\.yaml$/);
    assert.doesNotMatch(outcome.nextStep ?? '', /resume/);
    const events = parseEventLog(
      fs.readFileSync(path.join(outcome.runDir, 'events.jsonl'), 'utf8'),
    ).events;
    // Catches the old order (lab first, run-start after): no run-start, so "Other runs".
    assert.deepEqual(
      events.map((e) => e.type),
      ['run-start', 'error', 'run-end'],
    );
    const start = events[0]!;
    assert.ok(start.type === 'run-start' && start.configFile === config);

    const model = foldEvents(emptyRunModel(outcome.runDir), events);
    const node = describeNode(
      {
        experiments: [{ configFile: config, label: 'x.bomf.yaml' }],
        runs: [{ model, state: runState(model, false) }],
      },
      { kind: 'run', runDir: outcome.runDir },
    );
    assert.equal(node?.contextValue, 'bomf.run.failedSetup');
    // The palette's Resume (bomf.hasResumableRun) must not count it either.
    assert.equal(canResume(model, runState(model, false)), false);
    assert.doesNotMatch(node?.contextValue ?? '', /^bomf\.run\.(interrupted|stopped|failed)$/);
    assert.match(node?.description ?? '', /no column 'sentense'.*fix the config and run it again/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a run that failed, stopped or was interrupted after its setup can be resumed; a finished one cannot', () => {
  const started = [
    { type: 'run-start', runId: 'r', name: 'x', configFile: '/x.bomf.yaml', runDir: '/r' },
    { type: 'stage-start', stage: 'search', total: 2 },
  ];
  const ended = (status: string) =>
    foldEvents(
      emptyRunModel('/r'),
      sequence([
        ...started,
        ...(status === 'failed' ? [{ type: 'error', message: 'NaN loss', fatal: true }] : []),
        ...(status === 'interrupted' ? [] : [{ type: 'run-end', status, seconds: 1 }]),
      ]),
    );
  for (const status of ['failed', 'stopped', 'interrupted']) {
    const model = ended(status);
    // Catches a check that refuses every failed run, as the setup-failure rule would if too wide.
    assert.equal(canResume(model, runState(model, false)), true, status);
  }
  const done = ended('done');
  assert.equal(canResume(done, runState(done, false)), false);
});
