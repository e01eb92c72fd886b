// The files of a Hugging Face model directory: config.json, single or sharded safetensors and the
// tokenizer, each missing or broken file named in the error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readModelConfig, readModelWeights } from '../../../src/train/model/pretrained';
import { writeSafetensors } from '../../../src/train/safetensors';
import { loadTokenizer } from '../../../src/train/tokenizer';

const vocab = path.resolve(
  __dirname,
  '..',
  '..',
  'fixtures',
  'tokenizers',
  'bert-base-uncased',
  'vocab.txt',
);
const weights = new Map([
  ['bert.pooler.dense.bias', { shape: [2], data: Float32Array.from([1, 2]) }],
  ['classifier.bias', { shape: [1], data: Float32Array.from([3]) }],
]);

test('a complete directory: config, single-file weights, vocab.txt', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-hf-'));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', hidden_size: 128 }),
  );
  writeSafetensors(path.join(dir, 'model.safetensors'), weights, { dtype: 'F16' });
  fs.copyFileSync(vocab, path.join(dir, 'vocab.txt'));
  assert.equal(readModelConfig(dir).hidden_size, 128);
  assert.deepEqual(readModelWeights(dir), weights);
  assert.equal(loadTokenizer(dir).clsId, 101);
});

test('sharded weights through model.safetensors.index.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-hf-'));
  const [a, b] = [...weights.entries()];
  writeSafetensors(path.join(dir, 'model-00001-of-00002.safetensors'), new Map([a]));
  writeSafetensors(path.join(dir, 'model-00002-of-00002.safetensors'), new Map([b]));
  fs.writeFileSync(
    path.join(dir, 'model.safetensors.index.json'),
    JSON.stringify({
      weight_map: {
        [a[0]]: 'model-00001-of-00002.safetensors',
        [b[0]]: 'model-00002-of-00002.safetensors',
      },
    }),
  );
  assert.deepEqual(readModelWeights(dir), weights);
});

test('missing or broken files are named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-hf-'));
  assert.throws(
    () => readModelConfig(dir),
    (e: Error) => e.message.includes(dir) && e.message.includes('config.json'),
  );
  assert.throws(() => readModelWeights(dir), /model\.safetensors/);
  assert.throws(() => loadTokenizer(dir), /tokenizer\.json and vocab\.txt/);
  fs.writeFileSync(path.join(dir, 'config.json'), '{"model_type": ');
  assert.throws(
    () => readModelConfig(dir),
    (e: Error) => e.message.startsWith(path.join(dir, 'config.json')),
  );
});
