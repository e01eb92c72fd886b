import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  ANNOTATIONS_FILE,
  annotationLine,
  parseAnnotations,
  runTitle,
  shortRunId,
} from '../../../src/contract/run-identity';
import { appendAnnotation, readAnnotations } from '../../../src/extension/runs/annotations';

process.env.TZ = 'UTC';

test('two runs of one config get different short ids, the same run always the same one', () => {
  // Catches an id taken from the shared prefix (config name + second) instead of the whole id.
  const a = shortRunId('sst2-bomf-20261206-081454');
  const b = shortRunId('sst2-bomf-20261206-081454-2');
  assert.match(a, /^[0-9a-f]{6}$/);
  assert.notEqual(a, b);
  assert.equal(shortRunId('sst2-bomf-20261206-081454'), a);
});

test('a run title names config, short id and start time, led by the label', () => {
  const id = {
    name: 'sst2-bomf',
    runId: 'sst2-bomf-20261206-081454',
    startedAt: '2026-12-06T08:14:54.000Z',
  };
  const short = shortRunId(id.runId);
  assert.equal(runTitle(id), `sst2-bomf #${short} · 2026-12-06 08:14`);
  assert.equal(
    runTitle({ ...id, label: 'seed 4' }),
    `seed 4 (sst2-bomf #${short} · 2026-12-06 08:14)`,
  );
  assert.equal(runTitle({ ...id, startedAt: undefined }), `sst2-bomf #${short}`);
});

test('the latest label wins, an empty one clears it, notes keep their order, bad lines are skipped', () => {
  const line = (kind: 'label' | 'note', text: string, s: number) =>
    annotationLine({ time: `2026-12-06T08:00:0${s}.000Z`, kind, text });
  const text = [
    line('label', 'first', 0),
    line('note', 'lr too high?', 1),
    '{"time":"x","kind":"note"', // torn
    '\n',
    line('label', 'second', 2),
    line('note', 'rerun with seed 4', 3),
  ].join('');
  const parsed = parseAnnotations(text);
  assert.equal(parsed.label, 'second');
  assert.deepEqual(
    parsed.notes.map((n) => n.text),
    ['lr too high?', 'rerun with seed 4'],
  );
  assert.equal(parseAnnotations(`${text}${line('label', '', 4)}`).label, undefined);
});

test('annotations are appended to the run folder: relabelling keeps the earlier label on disk', () => {
  // Catches a rewrite of the file (losing history) instead of an append.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-annotations-'));
  try {
    assert.deepEqual(readAnnotations(dir), { notes: [] });
    appendAnnotation(dir, 'label', 'baseline');
    appendAnnotation(dir, 'note', 'compare with seed 4');
    appendAnnotation(dir, 'label', 'best so far');
    const onDisk = fs.readFileSync(path.join(dir, ANNOTATIONS_FILE), 'utf8').trim().split('\n');
    assert.equal(onDisk.length, 3);
    assert.match(onDisk[0]!, /"baseline"/);
    const read = readAnnotations(dir);
    assert.equal(read.label, 'best so far');
    assert.deepEqual(
      read.notes.map((n) => n.text),
      ['compare with seed 4'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
