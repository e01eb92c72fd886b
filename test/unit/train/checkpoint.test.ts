// Checkpoint collection: files, metadata and contents of the fusion members.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { initBackend } from '../../../src/train/backend';
import { evaluate } from '../../../src/train/evaluate';
import { fineTune } from '../../../src/train/loop/fine-tune';
import type { CheckpointRecord } from '../../../src/train/loop/types';
import { readSafetensors, readSafetensorsHeader } from '../../../src/train/safetensors';
import { sameBits, sentimentExamples, snapshot, tinyModel, tinyTokenizer } from './loop-helpers';

before(async () => {
  await initBackend('wasm');
});

test('K checkpoints after the start fraction: F32 weights of that step, metadata, state beside', async () => {
  const tokenizer = tinyTokenizer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-ckpt-'));
  const model = tinyModel(tokenizer);
  const validation = sentimentExamples(16, 2);
  const atCheckpoint = new Map<number, Map<string, Float32Array>>();
  const events: CheckpointRecord[] = [];
  // 40 examples / batch 8 = 5 steps per epoch, 4 epochs = 20 steps; 4 members after 50%.
  const result = await fineTune({
    model,
    tokenizer,
    dataset: { task: 'classification', train: sentimentExamples(40, 1), validation },
    hyperparameters: { learningRate: 2e-3, batchSize: 8, epochs: 4, maxLength: 16 },
    metrics: ['accuracy', 'f1'],
    checkpoints: { count: 4, start: 0.5, dir },
    onCheckpoint: (c) => {
      events.push(c);
      atCheckpoint.set(c.step, snapshot(model));
    },
  });
  assert.deepEqual(
    result.checkpoints.map((c) => c.step),
    [13, 15, 18, 20],
  );
  assert.deepEqual(result.checkpoints, events);
  assert.deepEqual(fs.readdirSync(dir).sort(), [
    'ckpt-00.safetensors',
    'ckpt-00.state.safetensors',
    'ckpt-01.safetensors',
    'ckpt-01.state.safetensors',
    'ckpt-02.safetensors',
    'ckpt-02.state.safetensors',
    'ckpt-03.safetensors',
    'ckpt-03.state.safetensors',
  ]);
  for (const c of result.checkpoints) {
    assert.equal(c.file, path.join(dir, `ckpt-0${c.index}.safetensors`));
    assert.equal(c.epoch, c.step / 5);
    const header = readSafetensorsHeader(c.file);
    assert.ok([...header.tensors.values()].every((e) => e.dtype === 'F32'));
    assert.equal(header.metadata.step, String(c.step));
    assert.equal(header.metadata.epoch, String(c.epoch));
    assert.deepEqual(JSON.parse(header.metadata.validation!), c.validation);
    const { tensors } = readSafetensors(c.file);
    const expected = atCheckpoint.get(c.step)!;
    assert.deepEqual([...tensors.keys()].sort(), [...expected.keys()].sort());
    for (const [name, t] of tensors) assert.ok(sameBits(t.data, expected.get(name)!), `${name}`);
    // Each member is evaluated on validation; the history holds the same numbers.
    assert.deepEqual(result.history.find((h) => h.step === c.step)?.validation, c.validation);
    assert.ok(fs.existsSync(c.stateFile));
  }
  // The validation recorded for the last member is what evaluate() gives on the final weights.
  const last = await evaluate(model, tokenizer, validation, {
    batchSize: 64,
    maxLength: 16,
    metrics: ['accuracy', 'f1'],
    task: 'classification',
  });
  assert.deepEqual(
    { loss: last.loss, metrics: last.metrics },
    result.checkpoints.at(-1)!.validation,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  model.dispose();
});
