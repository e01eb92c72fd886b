import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { exportBaseName, freeFolder } from '../../../src/extension/commands/export-names';
import { emptyRunModel, foldEvents } from '../../../src/extension/runs/run-model';
import { sequence } from './events-fixture';

const model = foldEvents(
  emptyRunModel('/p/runs/sst2 bomf-20261206-081454'),
  sequence([
    {
      type: 'run-start',
      name: 'sst2 bomf',
      runId: 'sst2 bomf-20261206-081454',
      runDir: '/p',
      pid: 1,
    },
  ]),
);

test('exports are named by config, short run id and what was exported, without characters a folder name trips on', () => {
  // Catches the display title (with '#', '·', ':' and spaces) or a millisecond timestamp used as the name.
  assert.match(exportBaseName(model), /^sst2-bomf-[0-9a-f]{6}-chosen$/);
  assert.match(exportBaseName(model, 12), /^sst2-bomf-[0-9a-f]{6}-eval12$/);
});

test('exporting into a folder that already holds that export picks the next free name', () => {
  // Catches the raw EEXIST from copying over an earlier export.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-export-'));
  try {
    assert.equal(freeFolder(parent, 'm'), path.join(parent, 'm'));
    fs.mkdirSync(path.join(parent, 'm'));
    fs.mkdirSync(path.join(parent, 'm-2'));
    assert.equal(freeFolder(parent, 'm'), path.join(parent, 'm-3'));
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
});
