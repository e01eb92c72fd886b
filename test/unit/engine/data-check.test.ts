// validateConfigText's data checks, as the editor runs them on every keystroke.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { validateConfigText } from '../../../src/engine/config';

const CONFIG = 'name: x\ndata:\n  train: train.tsv\n  text: sentence\n  label: label\n';
const rows = Array.from({ length: 20 }, (_, i) => `row ${i}\t${i % 2}\n`).join('');

// Bugs caught: a cached result outliving an edit of the data file; data checks run for a
// config whose schema already failed (a second, confusing error); the check only on request.
test('data problems point at the config field, follow edits of the file, and need data: true', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-datacheck-'));
  const train = path.join(dir, 'train.tsv');
  fs.writeFileSync(train, `sentence\tlabel\n${rows}stray\ttab\t1\n`);
  const check = (text = CONFIG) =>
    validateConfigText(text, 'x.bomf.yaml', { baseDir: dir, data: true }).diagnostics;
  const [d, ...rest] = check();
  assert.deepEqual(rest, []);
  assert.deepEqual([d!.line, d!.column, d!.path, d!.severity], [3, 10, 'data.train', 'error']);
  assert.match(d!.message, /^train\.tsv:22: the row has 3 field\(s\)/);
  assert.deepEqual(validateConfigText(CONFIG, 'x.bomf.yaml', { baseDir: dir }).diagnostics, []);

  fs.writeFileSync(train, `sentence\tlabel\n${rows}`);
  assert.deepEqual(check(), []);
  assert.deepEqual(
    check(`${CONFIG.replace('label: label', 'label: nope')}`).map((x) => x.message),
    ["train.tsv:1: column 'nope': no label column of that name; the header has: sentence, label"],
  );
  const schemaError = check(`${CONFIG.replace('label: label', 'label: nope')}seed: -1\n`);
  assert.deepEqual(
    schemaError.map((x) => x.path),
    ['seed'],
  );
});
