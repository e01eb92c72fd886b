import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runLabelNames } from '../../../src/engine/commands/fuse';

test("a model fused again from a run keeps the task's class names, in id order", () => {
  // Catches the LABEL_0/LABEL_1 names a dashboard export (bomf fuse --run) used to write.
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-fuse-labels-'));
  try {
    assert.equal(runLabelNames(run), undefined);
    fs.mkdirSync(path.join(run, 'fused'));
    const names = Array.from({ length: 11 }, (_, i) => `class ${i}`);
    const id2label = Object.fromEntries(names.map((n, i) => [String(i), n]).reverse());
    fs.writeFileSync(path.join(run, 'fused', 'config.json'), JSON.stringify({ id2label }));
    assert.deepEqual(runLabelNames(run), names);
  } finally {
    fs.rmSync(run, { recursive: true, force: true });
  }
});
