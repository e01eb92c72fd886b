// LoRA fusion (PEFT layout) against the dense Σ_k w_k (α/r) B_k A_k computed by NumPy in
// test/fixtures/fusion-stream/generate.py: as one rank-K·r adapter, and as merged deltas.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fuseModelFolders } from '../../../src/fusion/stream';
import { readSafetensors } from '../../../src/train/safetensors';
import { copyTree, expected, members, rawWeights, tmpDir } from './stream-helpers';

const lora = expected.lora;

function assertClose(got: ArrayLike<number>, want: number[], what: string, tol = 1e-5) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (err > tol * (1 + Math.abs(want[i]!))) assert.fail(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

/** s'·B'·A' of the fused adapter, in the base weight's layout (transposed for embeddings). */
function effectiveDeltas(dir: string): Map<string, number[]> {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'adapter_config.json'), 'utf8'));
  const rank: number = config.r;
  const scale = config.use_rslora ? config.lora_alpha / Math.sqrt(rank) : config.lora_alpha / rank;
  const tensors = readSafetensors(path.join(dir, 'adapter_model.safetensors')).tensors;
  const deltas = new Map<string, number[]>();
  for (const [name, a] of tensors) {
    const m = /^base_model\.model\.(.*)\.lora_(embedding_)?A(\.weight)?$/.exec(name);
    if (!m) continue;
    const b = tensors.get(name.replace(/lora_(embedding_)?A/, 'lora_$1B'))!;
    const [r, fanIn] = a.shape as [number, number];
    const fanOut = b.shape[0]!;
    assert.equal(r, rank, `${name}: rank in the tensor and in the config`);
    const out: number[] = [];
    const value = (o: number, i: number) => {
      let s = 0;
      for (let j = 0; j < r; j++) s += b.data[o * r + j]! * a.data[j * fanIn + i]!;
      return scale * s;
    };
    if (m[2])
      for (let i = 0; i < fanIn; i++) for (let o = 0; o < fanOut; o++) out.push(value(o, i));
    else for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) out.push(value(o, i));
    deltas.set(`${m[1]}.weight`, out);
  }
  return deltas;
}

// Catches: B blocks not scaled by w_k (or A scaled too), blocks interleaved in the wrong order,
// α left unscaled (the fused delta would be K times too small), averaged factors (wrong maths).
test('the fused rank-K·r adapter reproduces Σ w_k s B_k A_k, with α/r unchanged', async () => {
  const out = path.join(tmpDir(), 'fused');
  await fuseModelFolders(members('lora'), rawWeights, out);
  const config = JSON.parse(fs.readFileSync(path.join(out, 'adapter_config.json'), 'utf8'));
  assert.equal(config.r, 3 * lora.rank);
  assert.equal(config.lora_alpha / config.r, lora.alpha / lora.rank);
  assert.equal(config.task_type, 'SEQ_CLS');
  const deltas = effectiveDeltas(out);
  assert.deepEqual([...deltas.keys()].sort(), Object.keys(lora.deltas).sort());
  for (const [name, want] of Object.entries<{ values: number[] }>(lora.deltas)) {
    assertClose(deltas.get(name)!, want.values, name);
  }
  const head = readSafetensors(path.join(out, 'adapter_model.safetensors')).tensors.get(
    'base_model.model.classifier.modules_to_save.weight',
  )!;
  assertClose(head.data, lora.averaged['classifier.modules_to_save.weight'].values, 'head');
});

// Catches: rsLoRA's α scaled by K instead of √K (its scale is α/√r).
test('with use_rslora the fused α grows by √K, keeping α/√r', async () => {
  const dirs = members('lora').map((d) => {
    const copy = copyTree(d);
    const file = path.join(copy, 'adapter_config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...config, use_rslora: true }));
    return copy;
  });
  const out = path.join(tmpDir(), 'fused');
  await fuseModelFolders(dirs, rawWeights, out);
  const config = JSON.parse(fs.readFileSync(path.join(out, 'adapter_config.json'), 'utf8'));
  assert.ok(Math.abs(config.lora_alpha - lora.alpha * Math.sqrt(3)) < 1e-12);
  const rsScale = lora.alpha / Math.sqrt(lora.rank) / (lora.alpha / lora.rank);
  for (const [name, got] of effectiveDeltas(out)) {
    const want = lora.deltas[name].values.map((v: number) => v * rsScale);
    assertClose(got, want, name);
  }
});

// Catches: zero-weight members kept as dead rank (r' would be 3r), or dropping the wrong one.
test('members with weight 0 are left out of the fused rank', async () => {
  const out = path.join(tmpDir(), 'fused');
  await fuseModelFolders(members('lora'), [1, 0, 1], out);
  const config = JSON.parse(fs.readFileSync(path.join(out, 'adapter_config.json'), 'utf8'));
  assert.equal(config.r, 2 * lora.rank);
});

// Catches: a merged delta missing the scale s, not transposed for embeddings, or named unlike
// the base model's weight.
test('--merge-lora writes the dense deltas Σ w_k s B_k A_k under the base weight names', async () => {
  const out = path.join(tmpDir(), 'merged');
  await fuseModelFolders(members('lora'), rawWeights, out, { mergeLora: true });
  const tensors = readSafetensors(path.join(out, 'lora_deltas.safetensors')).tensors;
  for (const [name, want] of Object.entries<{ shape: number[]; values: number[] }>(lora.deltas)) {
    assert.deepEqual(tensors.get(name)?.shape, want.shape, name);
    assertClose(tensors.get(name)!.data, want.values, name);
  }
  assertClose(
    tensors.get('classifier.modules_to_save.weight')!.data,
    lora.averaged['classifier.modules_to_save.weight'].values,
    'head',
  );
  assert.ok(!fs.existsSync(path.join(out, 'adapter_config.json')));
});

// Catches: silently fusing adapters whose scales differ (the result would be wrong), or DoRA.
test('adapters that disagree on α, or use DoRA, are refused naming the field and file', async () => {
  const dirs = members('lora').map(copyTree);
  const file = path.join(dirs[2]!, 'adapter_config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, JSON.stringify({ ...config, lora_alpha: 16 }));
  const out = path.join(tmpDir(), 'fused');
  await assert.rejects(
    fuseModelFolders(dirs, rawWeights, out),
    (err: Error) => err.message.includes(file) && err.message.includes('"lora_alpha" is 16'),
  );
  for (const d of dirs) {
    const f = path.join(d, 'adapter_config.json');
    fs.writeFileSync(f, JSON.stringify({ ...config, use_dora: true }));
  }
  await assert.rejects(fuseModelFolders(dirs, rawWeights, out), /DoRA/);
  assert.ok(!fs.existsSync(out));
});
