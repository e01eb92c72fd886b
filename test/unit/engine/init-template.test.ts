import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { writeTemplate } from '../../../src/engine/commands/init';
import { examplesDir } from '../../../src/engine/package-root';

test('a new experiment keeps its data beside the config, not in the install folder', () => {
  // Catches data paths into examples/ (the extension's versioned install folder), which
  // break when the extension updates.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-init-'));
  try {
    const file = path.join(dir, 'mine.bomf.yaml');
    writeTemplate('sst2-quick', file);
    const data = parse(fs.readFileSync(file, 'utf8')).data as Record<string, unknown>;
    const splits = ['train', 'validation', 'test'].filter((s) => typeof data[s] === 'string');
    assert.ok(splits.length > 0);
    for (const split of splits) {
      const resolved = path.resolve(dir, data[split] as string);
      assert.ok(resolved.startsWith(path.join(dir, 'data')), `${split}: ${resolved}`);
      assert.ok(!resolved.startsWith(examplesDir()));
      assert.ok(fs.statSync(resolved).size > 0, `${split} copied`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
