// The decision resume makes for a Slurm submission whose id never reached the
// event log (the driver was killed between sbatch and the job event): reattach
// to whatever trace of the job exists, submit again only when there is none.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  readIntent,
  recoveredJobId,
  submissionName,
  writeIntent,
} from '../../../src/engine/executor/slurm-recovery';

const intent = { name: 'run-1-trial-2-0a1b2c3d' };
const none = { queue: [], accounting: [], exited: false };

test('a job the queue lists is reattached; one only the accounting remembers too', () => {
  // Bug caught: resubmitting a job that is queued or running (the unit would run twice).
  assert.equal(recoveredJobId(intent, { ...none, queue: ['41'] }), '41');
  assert.equal(recoveredJobId(intent, { ...none, accounting: ['41'] }), '41');
  // Numeric, not string order: 10 is newer than 9.
  assert.equal(recoveredJobId(intent, { ...none, queue: ['9', '10'] }), '10');
});

test('a job forgotten by the queue, with no accounting, is known by what it left in its folder', () => {
  assert.equal(recoveredJobId(intent, { ...none, startedAs: '77', exited: true }), '77');
  assert.equal(recoveredJobId(intent, { ...none, startedAs: '77' }), '77');
  // It ended but could not even record its id: its outcome is in its folder; its name stands in.
  assert.equal(recoveredJobId(intent, { ...none, exited: true }), intent.name);
});

test('only a submission with no trace at all and no exit code is made again', () => {
  assert.equal(recoveredJobId(intent, none), undefined);
});

test('every submission gets its own name; the intent reads back, a missing or torn one is none', () => {
  const a = submissionName('run-1', 'trial-2');
  assert.match(a, /^run-1-trial-2-[0-9a-f]{8}$/);
  assert.notEqual(a, submissionName('run-1', 'trial-2'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-intent-'));
  assert.equal(readIntent(dir), undefined);
  writeIntent(dir, { name: a });
  assert.deepEqual(readIntent(dir), { name: a });
  fs.writeFileSync(path.join(dir, 'submission.json'), '{"na');
  assert.equal(readIntent(dir), undefined);
});
