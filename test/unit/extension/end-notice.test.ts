import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endNotice, lastErrorLine } from '../../../src/extension/runs/end-notice';
import { emptyRunModel, foldEvents } from '../../../src/extension/runs/run-model';
import { finishedRun, sequence } from './events-fixture';

const failed = () =>
  foldEvents(
    emptyRunModel('/r'),
    sequence([
      { type: 'run-start', name: 'x', runId: 'x-1', runDir: '/r', pid: 1 },
      { type: 'error', message: "column 'sentense' is not in train.tsv", fatal: true },
      { type: 'run-end', status: 'failed', seconds: 1 },
    ]),
  );

test('a run that stops running is announced once: finished with its best metric, failed with its reason', () => {
  const done = foldEvents(emptyRunModel('/r'), finishedRun());
  const notice = endNotice('running', 'done', done);
  assert.equal(notice?.severity, 'info');
  assert.match(notice?.message ?? '', /finished in \d+m \d\ds · BOMF val accuracy 0\.\d{4}\.$/);
  const failure = endNotice('running', 'failed', failed());
  assert.equal(failure?.severity, 'error');
  assert.match(failure?.message ?? '', /failed.*: column 'sentense' is not in train\.tsv$/);
  assert.equal(failure?.showError, true);
});

test('no notice for a run seen already ended, nor for an interrupted one (a reload is not an ending)', () => {
  // Catches notifying every finished run found on disk at activation.
  const done = foldEvents(emptyRunModel('/r'), finishedRun());
  assert.equal(endNotice(undefined, 'done', done), undefined);
  assert.equal(endNotice('done', 'done', done), undefined);
  assert.equal(endNotice('running', 'interrupted', done), undefined);
});

test('Show Error opens the line of the latest error event', () => {
  assert.equal(
    lastErrorLine(sequence([{ type: 'log' }, { type: 'error' }, { type: 'run-end' }])),
    2,
  );
  assert.equal(lastErrorLine(sequence([{ type: 'log' }])), undefined);
});
