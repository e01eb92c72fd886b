// A run killed after checkpoint k and resumed from it continues on the same trajectory.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../../src/train/backend';
import { fineTune } from '../../../src/train/loop/fine-tune';
import { findResumableCheckpoint } from '../../../src/train/loop/training-state';
import type { FineTuneOptions } from '../../../src/train/loop/types';
import { readSafetensors } from '../../../src/train/safetensors';
import { sameBits, sentimentExamples, tinyModel, tinyTokenizer } from './loop-helpers';

const tokenizer = tinyTokenizer();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-resume-'));

before(async () => {
  await initBackend('wasm');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** 48 examples, batch 8: 6 steps per epoch, 18 steps, checkpoints at steps 3, 6, …, 18. */
function options(dir: string, extra: Partial<FineTuneOptions> = {}): FineTuneOptions {
  return {
    model: tinyModel(tokenizer, 2, 11),
    tokenizer,
    dataset: {
      task: 'classification',
      train: sentimentExamples(48, 1),
      validation: sentimentExamples(16, 2),
    },
    hyperparameters: {
      learningRate: 3e-3,
      batchSize: 8,
      epochs: 3,
      maxLength: 16,
      schedule: 'linear',
    },
    metrics: ['accuracy'],
    checkpoints: { count: 6, start: 0, dir },
    seed: 21,
    ...extra,
  };
}

/** Runs uninterrupted, then killed after checkpoint `killAt` and resumed; compares the rest. */
async function assertResumeEquivalent(
  name: string,
  killAt: number,
  extra: Partial<FineTuneOptions>,
) {
  const fullDir = path.join(root, `${name}-full`);
  const full = await fineTune(options(fullDir, extra));
  assert.deepEqual(
    full.checkpoints.map((c) => c.step),
    [3, 6, 9, 12, 15, 18],
  );

  const killedDir = path.join(root, `${name}-killed`);
  const controller = new AbortController();
  const killed = await fineTune(
    options(killedDir, {
      ...extra,
      signal: controller.signal,
      onCheckpoint: (c) => {
        if (c.index === killAt) controller.abort();
      },
    }),
  );
  assert.equal(killed.status, 'aborted');
  assert.equal(killed.steps, 3 * (killAt + 1));
  assert.ok(!fs.existsSync(path.join(killedDir, `ckpt-0${killAt + 1}.safetensors`)));
  assert.equal(
    findResumableCheckpoint(killedDir),
    path.join(killedDir, `ckpt-0${killAt}.safetensors`),
  );

  const reported: number[] = [];
  const resumed = await fineTune(
    options(killedDir, {
      ...extra,
      resume: { fromCheckpoint: path.join(killedDir, `ckpt-0${killAt}.safetensors`) },
      onCheckpoint: (c) => {
        reported.push(c.index);
      },
    }),
  );
  assert.equal(resumed.status, 'completed');
  const later = [0, 1, 2, 3, 4, 5].filter((i) => i > killAt);
  assert.deepEqual(reported, later, 'finished checkpoints are not redone');
  assert.deepEqual(
    resumed.checkpoints.map((c) => [c.index, c.step, path.basename(c.file)]),
    full.checkpoints.map((c) => [c.index, c.step, path.basename(c.file)]),
  );
  assert.deepEqual(resumed.history, full.history);
  for (const index of later) {
    const file = `ckpt-0${index}.safetensors`;
    const a = readSafetensors(path.join(fullDir, file));
    const b = readSafetensors(path.join(killedDir, file));
    assert.deepEqual(b.metadata, a.metadata);
    for (const [tensor, t] of a.tensors)
      assert.ok(sameBits(t.data, b.tensors.get(tensor)!.data), `${file}: ${tensor} differs`);
  }
}

test('resuming after checkpoint 2 (mid-epoch) reproduces checkpoints 3–5 bit for bit', async () => {
  await assertResumeEquivalent('full-ft', 2, {});
});

test('a LoRA run resumes too (adapters from the state, base weights from the model)', async () => {
  await assertResumeEquivalent('lora', 1, { proxy: { lora: { rank: 2 } } });
});

test('resume refuses a state saved with other settings or a missing state file', async () => {
  const dir = path.join(root, 'full-ft-full');
  const ckpt = path.join(dir, 'ckpt-01.safetensors');
  await assert.rejects(
    fineTune(options(dir, { seed: 22, resume: { fromCheckpoint: ckpt } })),
    /saved with different settings \(seed: saved 21, now 22\)/,
  );
  fs.copyFileSync(ckpt, path.join(root, 'lonely.safetensors'));
  assert.equal(findResumableCheckpoint(root), undefined, 'a checkpoint without state is skipped');
  await assert.rejects(
    fineTune(options(dir, { resume: { fromCheckpoint: path.join(root, 'lonely.safetensors') } })),
    /training state .*lonely\.state\.safetensors not found/,
  );
});
