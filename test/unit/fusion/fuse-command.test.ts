// `bomf fuse`: strict weight parsing (issue 15 item 8), any safetensors checkpoints with no model
// config (issue 11 item 4), and an --out that never deletes anything (issue 15 item 4).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fuseCommand } from '../../../src/engine/commands/fuse';
import { parseFusionWeights } from '../../../src/fusion/stream';
import { expected, members, storedValues, tmpDir } from './stream-helpers';

// Catches: Number('') === 0 and Number('0x10') === 16 accepted, NaN/negative/all-zero let through.
test('--weights is parsed strictly and each refusal names the entry', () => {
  assert.deepEqual(parseFusionWeights(' 1 , 3 ', 2), [0.25, 0.75]);
  assert.deepEqual(parseFusionWeights('1e-3,3e-3', 2), [0.25, 0.75]);
  assert.deepEqual(parseFusionWeights('.5,1.5', 2), [0.25, 0.75]);
  assert.throws(() => parseFusionWeights('1,,1', 3), /entry 2 of '1,,1' is empty/);
  assert.throws(
    () => parseFusionWeights('0x10,1', 2),
    /entry 1 \('0x10'\) is not a non-negative decimal/,
  );
  assert.throws(() => parseFusionWeights('NaN,1', 2), /entry 1 \('NaN'\)/);
  assert.throws(() => parseFusionWeights('1,Infinity', 2), /entry 2 \('Infinity'\)/);
  assert.throws(() => parseFusionWeights('1,-2', 2), /entry 2 \('-2'\)/);
  assert.throws(() => parseFusionWeights('0,0', 2), /--weights: the fusion weights are all zero/);
  assert.throws(() => parseFusionWeights('1,2', 3), /2 entries but there are 3 checkpoints/);
  assert.throws(() => parseFusionWeights('1e400,1', 2), /weight 1 is Infinity/);
});

const baseOptions = { dtype: 'F32' as const, format: 'auto' as const };

// Catches: `bomf fuse --checkpoints` still requiring a BERT config and a classifier head.
test('bomf fuse streams folders of any model with no model config', async () => {
  const out = path.join(tmpDir(), 'fused');
  const written = await fuseCommand({
    ...baseOptions,
    checkpoints: members('sharded').join(','),
    weights: expected.raw_weights.join(','),
    out,
  });
  assert.equal(written, out);
  const index = JSON.parse(fs.readFileSync(path.join(out, 'model.safetensors.index.json'), 'utf8'));
  for (const [name, want] of Object.entries(expected.sharded)) {
    assert.deepEqual(storedValues(path.join(out, index.weight_map[name]), name), want);
  }
});

// Catches: --out RUN/checkpoints deleting the run's checkpoints (issue 15 item 4), in either format.
test('--out at a folder holding checkpoints is refused and deletes nothing', async () => {
  const run = tmpDir();
  const checkpoints = path.join(run, 'checkpoints');
  fs.mkdirSync(checkpoints);
  const files = members('dense').map((d, k) => {
    const file = path.join(checkpoints, `ckpt-0${k}.safetensors`);
    fs.copyFileSync(path.join(d, 'model.safetensors'), file);
    return file;
  });
  const before = files.map((f) => fs.readFileSync(f));
  for (const format of ['auto', 'bert', 'safetensors'] as const) {
    await assert.rejects(
      fuseCommand({
        ...baseOptions,
        format,
        checkpoints: files.join(','),
        weights: '1,1,1',
        out: checkpoints,
      }),
      /checkpoints is not empty; the output must be a new or empty folder \(nothing was deleted\)/,
    );
  }
  assert.deepEqual(
    fs.readdirSync(checkpoints).sort(),
    files.map((f) => path.basename(f)),
  );
  assert.deepEqual(
    files.map((f) => fs.readFileSync(f)),
    before,
  );
  assert.deepEqual(fs.readdirSync(run), ['checkpoints']);
});
