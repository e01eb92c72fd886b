// Streaming fusion of full checkpoints against NumPy's weighted average (test/fixtures/fusion-stream,
// written by generate.py without our code): F32, F16, BF16, sharded, chunked, file to file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  fuseModelFolders,
  fuseSafetensorsFiles,
  normalizeFusionWeights,
} from '../../../src/fusion/stream';
import { MAX_MEMBER_READ_BYTES } from '../../../src/fusion/stream/dense';
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

// Catches: a block read at the wrong offset, a last partial block dropped or padded, ranges split
// between threads that overlap or leave gaps, members grouped in a way that changes the roundings.
test('a tensor spanning several blocks is fused like one read whole, on one thread or several', async () => {
  const dir = tmpDir();
  // Three blocks of reads, the last one partial.
  const n = 2 * (MAX_MEMBER_READ_BYTES / 2) + 12345;
  const weights = [3, 1, 0, 2, 2, 1];
  const files = weights.map((_, k) => {
    const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.001 + k) * (k + 1));
    const file = path.join(dir, `m${k}.safetensors`);
    writeSafetensors(file, new Map([['big', { shape: [n], data }]]), { dtype: 'F16' });
    return file;
  });
  const values = files.map((f) => readSafetensors(f).tensors.get('big')!.data);
  const w = normalizeFusionWeights(weights, weights.length);
  const threads = process.env.BOMF_FUSION_THREADS;
  try {
    for (const t of ['1', '3']) {
      process.env.BOMF_FUSION_THREADS = t;
      const out = path.join(dir, `fused-${t}.safetensors`);
      await fuseSafetensorsFiles(files, weights, out);
      const got = storedValues(out, 'big').stored;
      assert.equal(got.length, n);
      for (let i = 0; i < n; i++) {
        // Members added one after another in float64, then rounded once to F16.
        let sum = 0;
        for (let k = 0; k < w.length; k++) if (w[k] !== 0) sum += w[k]! * values[k]![i]!;
        if (got[i] !== floatToHalf(sum)) assert.fail(`${t} threads, element ${i}: ${got[i]}`);
      }
    }
  } finally {
    if (threads === undefined) delete process.env.BOMF_FUSION_THREADS;
    else process.env.BOMF_FUSION_THREADS = threads;
  }
});

// Catches: the zero-weight shortcut skipping the wrong member, or averaging over K instead of
// the normalised weights.
test('a member with weight 0 contributes nothing', async () => {
  const dir = tmpDir();
  const [m0, m1, m2] = members('dense').map((d) => path.join(d, 'model.safetensors'));
  await fuseSafetensorsFiles([m0!, m1!, m2!], [1, 0, 1], path.join(dir, 'a.safetensors'));
  await fuseSafetensorsFiles([m0!, m2!], [1, 1], path.join(dir, 'b.safetensors'));
  assert.deepEqual(
    fs.readFileSync(path.join(dir, 'a.safetensors')),
    fs.readFileSync(path.join(dir, 'b.safetensors')),
  );
});

// Catches: a file-to-file fusion that overwrites its target (rename replaces silently).
test('file-to-file fusion never replaces an existing file', async () => {
  const dir = tmpDir();
  const target = path.join(dir, 'keep.safetensors');
  fs.writeFileSync(target, 'precious');
  const files = members('dense').map((d) => path.join(d, 'model.safetensors'));
  await assert.rejects(fuseSafetensorsFiles(files, rawWeights, target), /keep\.safetensors exists/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
  assert.deepEqual(fs.readdirSync(dir), ['keep.safetensors']);
});
