// Every shipped example config validates, its data files exist, and its data loads.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { validateConfigText } from '../../../src/engine/config';
import { loadConfig } from '../../../src/engine/pipeline/run-config';
import { loadDataset } from '../../../src/train/data/dataset';

const examples = path.resolve(__dirname, '../../../examples');
const configs = fs.readdirSync(examples).filter((f) => f.endsWith('.bomf.yaml'));

test('the examples include the README main job and one config per task', () => {
  for (const name of ['sst2-quick', 'tiny', 'sst2', 'rte', 'mrpc', 'cola', 'stsb', 'trec']) {
    assert.ok(configs.includes(`${name}.bomf.yaml`), `${name}.bomf.yaml missing`);
  }
});

for (const file of configs) {
  test(`examples/${file} is valid and its data loads`, () => {
    const full = path.join(examples, file);
    const { diagnostics } = validateConfigText(fs.readFileSync(full, 'utf8'), file, {
      baseDir: examples,
    });
    assert.deepEqual(diagnostics, []);
    const config = loadConfig(full);
    const data = loadDataset({ ...config.data, seed: config.seed }, config.baseDir);
    assert.ok(data.train.length > 0 && data.validation.length > 0 && data.test.length > 0);
    if (config.data.task === 'classification') assert.ok(data.labelNames!.length >= 2);
  });
}
