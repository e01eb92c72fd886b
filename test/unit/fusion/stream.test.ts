// Streaming fusion of full checkpoints against NumPy's weighted average (test/fixtures/fusion-stream,
// written by generate.py without our code): F32, F16, BF16, sharded, chunked, file to file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fuseModelFolders, fuseSafetensorsFiles } from '../../../src/fusion/stream';
import { CHUNK_ELEMENTS } from '../../../src/fusion/stream/kernel';
import { readSafetensors, writeSafetensors } from '../../../src/train/safetensors';
import { floatToHalf } from '../../../src/train/safetensors-dtypes';
import { expected, members, rawWeights, storedValues, tmpDir } from './stream-helpers';

function assertMatchesNumpy(files: (name: string) => string, reference: Record<string, unknown>) {
  for (const [name, want] of Object.entries(reference)) {
    assert.deepEqual(storedValues(files(name), name), want, name);
  }
}

// Catches: a flipped weight order, missing normalisation, F16/BF16 rounding other than to nearest
// even, an integer buffer averaged instead of copied, non-weight files copied from the wrong member.
test('fusing F32/F16/BF16 model folders equals the NumPy weighted average, bit for bit', async () => {
  const out = path.join(tmpDir(), 'fused');
  await fuseModelFolders(members('dense'), rawWeights, out);
  assertMatchesNumpy(() => path.join(out, 'model.safetensors'), expected.dense);
  assert.deepEqual(fs.readdirSync(out).sort(), [
    'config.json',
    'fusion.json',
    'model.safetensors',
    'tokenizer.json',
  ]);
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).member, 0);
  const record = JSON.parse(fs.readFileSync(path.join(out, 'fusion.json'), 'utf8'));
  const sum = rawWeights.reduce((a, b) => a + b, 0);
  assert.deepEqual(
    record.weights,
    rawWeights.map((w) => w / sum),
  );
});

// Catches: shards merged into one file, a tensor written to the wrong shard, a stale or missing
// index, a total_size that counts headers.
test('sharded members give sharded output with an index, equal to NumPy', async () => {
  const out = path.join(tmpDir(), 'fused');
  await fuseModelFolders(members('sharded'), rawWeights, out);
  const index = JSON.parse(fs.readFileSync(path.join(out, 'model.safetensors.index.json'), 'utf8'));
  const source = JSON.parse(
    fs.readFileSync(path.join(members('sharded')[0]!, 'model.safetensors.index.json'), 'utf8'),
  );
  assert.deepEqual(index.weight_map, source.weight_map);
  assert.equal(index.metadata.total_size, source.metadata.total_size);
  assertMatchesNumpy((name) => path.join(out, index.weight_map[name]), expected.sharded);
});

// Catches: a chunk read at the wrong offset or a last partial chunk dropped or padded.
test('a tensor spanning several chunks is fused like one read whole', async () => {
  const dir = tmpDir();
  const n = CHUNK_ELEMENTS + 12345;
  const files = [0, 1].map((k) => {
    const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.001 + k) * (k + 1));
    const file = path.join(dir, `m${k}.safetensors`);
    writeSafetensors(file, new Map([['big', { shape: [n], data }]]), { dtype: 'F16' });
    return file;
  });
  const out = path.join(dir, 'fused.safetensors');
  fuseSafetensorsFiles(files, [3, 1], out);
  const [a, b] = files.map((f) => readSafetensors(f).tensors.get('big')!.data);
  const got = storedValues(out, 'big').stored;
  assert.equal(got.length, n);
  for (let i = 0; i < n; i++) {
    const want = floatToHalf(Math.fround(0.75 * a![i]! + 0.25 * b![i]!));
    if (got[i] !== want) assert.fail(`element ${i}: ${got[i]} != ${want}`);
  }
});

// Catches: the zero-weight shortcut skipping the wrong member, or averaging over K instead of
// the normalised weights.
test('a member with weight 0 contributes nothing', async () => {
  const dir = tmpDir();
  const [m0, m1, m2] = members('dense').map((d) => path.join(d, 'model.safetensors'));
  fuseSafetensorsFiles([m0!, m1!, m2!], [1, 0, 1], path.join(dir, 'a.safetensors'));
  fuseSafetensorsFiles([m0!, m2!], [1, 1], path.join(dir, 'b.safetensors'));
  assert.deepEqual(
    fs.readFileSync(path.join(dir, 'a.safetensors')),
    fs.readFileSync(path.join(dir, 'b.safetensors')),
  );
});

// Catches: a file-to-file fusion that overwrites its target (rename replaces silently).
test('file-to-file fusion never replaces an existing file', () => {
  const dir = tmpDir();
  const target = path.join(dir, 'keep.safetensors');
  fs.writeFileSync(target, 'precious');
  const files = members('dense').map((d) => path.join(d, 'model.safetensors'));
  assert.throws(() => fuseSafetensorsFiles(files, rawWeights, target), /keep\.safetensors exists/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
  assert.deepEqual(fs.readdirSync(dir), ['keep.safetensors']);
});
