/**
 * The bi-encoder through the real TF.js lab on STS-B pairs (a tiny random encoder, a few steps):
 * `auto` picks it, the collected checkpoints carry its head, evaluating a member gives what was
 * recorded when it was collected, and a fused model (the lab's export and `bomf fuse`) averages
 * the head's scale and offset, says `pair_encoding: bi` in config.json and, reloaded, scores
 * what the lab scored for the same mix.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fuseCommand } from '../../../src/engine/commands/fuse';
import { type ResolvedConfig, resolveConfig, validateConfigText } from '../../../src/engine/config';
import { loadTfLab, type TfLab } from '../../../src/engine/lab/tf-lab';
import type { CollectedCheckpoint } from '../../../src/engine/pipeline/lab';
import { initBackend } from '../../../src/train/backend';
import { loadDataset } from '../../../src/train/data';
import { evaluate } from '../../../src/train/evaluate';
import { COSINE_REGRESSOR, loadPretrainedEncoder } from '../../../src/train/model';
import { readSafetensors } from '../../../src/train/safetensors';
import { writeTinyEncoder } from '../../support/tiny-model';

const root = path.resolve(__dirname, '../../..');
const MIX = [0.3, 0.7];
let work: string;
let config: ResolvedConfig;
let lab: TfLab;
const members: CollectedCheckpoint[] = [];

before(async () => {
  await initBackend('wasm');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-bi-lab-'));
  const model = writeTinyEncoder(path.join(work, 'model'), [
    path.join(root, 'examples/data/stsb/train.tsv'),
  ]);
  const file = path.join(work, 'stsb.bomf.yaml');
  const text = `name: bi
seed: 0
data:
  train: ${path.join(root, 'examples/data/stsb/train.tsv')}
  test: ${path.join(root, 'examples/data/stsb/dev.tsv')}
  text: sentence1
  textPair: sentence2
  label: score
  task: regression
  metrics: [pearson]
  maxLength: 24
  limit: { train: 48, validation: 16, test: 16 }
model: { source: ${model}, backend: wasm }
`;
  fs.writeFileSync(file, text);
  const validated = validateConfigText(text, file);
  assert.deepEqual(validated.diagnostics, []);
  config = resolveConfig(validated.config!, file);
  assert.equal(validated.config!.model.pairEncoding, 'auto');
  // config.resolved.yaml records the form the run uses.
  assert.equal(config.model.pairEncoding, 'bi');
  lab = await loadTfLab(config);
  await lab.fineTune(
    {
      learningRate: 3e-3,
      batchSize: 8,
      weightDecay: 0.01,
      warmupRatio: 0,
      epochs: 2,
      dropout: 0.1,
      schedule: 'linear',
      maxGradNorm: 1,
    },
    { count: 2, start: 0.5, dir: path.join(work, 'checkpoints') },
    { onProgress() {}, onEval() {}, onCheckpoint: (c) => members.push(c) },
    new AbortController().signal,
  );
  assert.equal(members.length, 2);
});

after(() => {
  lab?.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

const headOf = (file: string) => {
  const t = readSafetensors(file).tensors;
  return [
    t.get(`${COSINE_REGRESSOR}.weight`)!.data[0]!,
    t.get(`${COSINE_REGRESSOR}.bias`)!.data[0]!,
  ];
};

test('auto on regression pairs trains the bi-encoder: checkpoints hold the cosine head, no classifier', () => {
  const names = [...readSafetensors(members[0]!.file).tensors.keys()];
  assert.ok(names.includes(`${COSINE_REGRESSOR}.weight`), names.join(', '));
  assert.ok(!names.some((n) => n.startsWith('classifier') || n.includes('pooler')));
  // The members' heads differ, so an unfused (or member-0-only) head changes the fused model.
  const [a, b] = members.map((m) => headOf(m.file));
  assert.notEqual(a![0], b![0]);
  assert.notEqual(a![1], b![1]);
});

test('evaluating a collected member gives the validation scores recorded when it was collected', async () => {
  for (const [k, m] of members.entries()) {
    const weights = members.map((_, j) => (j === k ? 1 : 0));
    const again = await lab.evaluateMix(
      members.map((c) => c.file),
      weights,
      'validation',
    );
    assert.ok(Math.abs(again.loss - m.validation.loss) < 1e-5, `member ${k} loss`);
    const pearson = m.validation.metrics.pearson!;
    assert.ok(Math.abs(again.metrics.pearson! - pearson) < 1e-5, `member ${k} pearson`);
  }
});

/** The reloaded folder's validation scores, on the split the lab used. */
async function reloadedScores(dir: string) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  assert.equal(json.pair_encoding, 'bi');
  assert.deepEqual(json.architectures, ['BertModel']);
  const loaded = loadPretrainedEncoder(dir, { numLabels: 1 });
  assert.equal(loaded.config.pairEncoding, 'bi');
  assert.deepEqual(loaded.missing, []);
  const data = loadDataset({ ...config.data, seed: config.seed }, config.baseDir);
  const r = await evaluate(loaded.model, loaded.tokenizer, data.validation, {
    batchSize: 8,
    maxLength: config.data.maxLength,
    metrics: ['pearson'],
    task: 'regression',
  });
  loaded.model.dispose();
  return { head: headOf(path.join(dir, 'model.safetensors')), r };
}

test('a fused bi model averages the scale and offset, and reloaded scores what the lab scored', async () => {
  const files = members.map((c) => c.file);
  const inLab = await lab.evaluateMix(files, MIX, 'validation');
  const expectedHead = [0, 1].map(
    (i) => MIX[0]! * headOf(files[0]!)[i]! + MIX[1]! * headOf(files[1]!)[i]!,
  );
  const exported = path.join(work, 'fused');
  await lab.exportMix(files, MIX, exported);
  const viaFuse = await fuseCommand({
    checkpoints: files.join(','),
    model: config.model.source,
    weights: MIX.join(','),
    out: path.join(work, 'fused-cli'),
    dtype: 'F32',
    format: 'bert',
  });
  for (const dir of [exported, viaFuse]) {
    const { head, r } = await reloadedScores(dir);
    head.forEach((x, i) => {
      assert.ok(Math.abs(x - expectedHead[i]!) < 1e-6, `${dir}: head ${i} ${x}`);
    });
    assert.ok(Math.abs(r.loss - inLab.loss) < 1e-4, `${dir}: loss ${r.loss} vs ${inLab.loss}`);
    assert.ok(Math.abs(r.metrics.pearson! - inLab.metrics.pearson!) < 1e-4, `${dir}: pearson`);
  }
});
