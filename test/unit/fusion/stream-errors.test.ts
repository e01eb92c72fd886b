// Every bad case of streaming fusion gets a message naming the tensor and the file, and no
// failure leaves a partial output or deletes anything it did not create.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import { fuseModelFolders, fuseSafetensorsFiles } from '../../../src/fusion/stream';
import { writeSafetensors } from '../../../src/train/safetensors';
import { copyTree, members, rawWeights, tmpDir } from './stream-helpers';

type Tensors = Record<string, { shape: number[]; data?: number[] }>;

function checkpoint(dir: string, name: string, tensors: Tensors, dtype: 'F32' | 'F16' = 'F32') {
  const file = path.join(dir, name);
  const map = new Map(
    Object.entries(tensors).map(([n, t]) => [
      n,
      {
        shape: t.shape,
        data: Float32Array.from(t.data ?? new Array(t.shape.reduce((a, b) => a * b, 1)).fill(1)),
      },
    ]),
  );
  writeSafetensors(file, map, { dtype });
  return file;
}

/** Runs a fusion expected to fail; the output folder's parent must hold no leftovers. */
async function refused(files: string[], pattern: RegExp) {
  const parent = tmpDir();
  await assert.rejects(
    fuseModelFolders(
      files,
      files.map(() => 1),
      path.join(parent, 'out'),
    ),
    pattern,
  );
  assert.deepEqual(fs.readdirSync(parent), [], 'a failed fusion leaves nothing behind');
}

// Catches: comparing only the first member's names (an extra or missing tensor goes unnoticed).
test('a tensor missing from one member, or extra in one, is named with its file', async () => {
  const dir = tmpDir();
  const a = checkpoint(dir, 'a.safetensors', { x: { shape: [2] }, y: { shape: [3] } });
  const b = checkpoint(dir, 'b.safetensors', { x: { shape: [2] } });
  await refused([a, b], /tensor 'y' of .*a\.safetensors is missing from .*b\.safetensors/);
  await refused([b, a], /tensor 'y' of .*a\.safetensors is not in .*b\.safetensors/);
});

// Catches: shapes compared by element count only ([2,3] vs [3,2]), dtypes not compared at all.
test('mismatched shapes and dtypes are refused naming the tensor and both files', async () => {
  const dir = tmpDir();
  const a = checkpoint(dir, 'a.safetensors', { w: { shape: [2, 3] } });
  const b = checkpoint(dir, 'b.safetensors', { w: { shape: [3, 2] } });
  const c = checkpoint(dir, 'c.safetensors', { w: { shape: [2, 3] } }, 'F16');
  await refused(
    [a, b],
    /tensor 'w' has shape \[3,2\] in .*b\.safetensors but \[2,3\] in .*a\.safetensors/,
  );
  await refused([a, c], /tensor 'w' is F16 in .*c\.safetensors but F32 in .*a\.safetensors/);
});

// Catches: a header whose tensors share bytes accepted (outputs would alias member data).
test('overlapping data offsets are refused naming both tensors and the file', async () => {
  const dir = tmpDir();
  const header = Buffer.from(
    JSON.stringify({
      a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
    }),
  );
  const file = path.join(dir, 'overlap.safetensors');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  fs.writeFileSync(file, Buffer.concat([prefix, header, Buffer.alloc(24)]));
  await refused(
    [file, file],
    /overlap\.safetensors: .*tensor 'b' \(bytes 8–24\) overlaps tensor 'a'/,
  );
});

// Catches: a truncated member read past its end (zeros or garbage fused in silently).
test('a truncated member is refused naming the tensor and the file', async () => {
  const dir = tmpDir();
  const a = checkpoint(dir, 'a.safetensors', { w: { shape: [64] } });
  const b = checkpoint(dir, 'b.safetensors', { w: { shape: [64] } });
  fs.truncateSync(b, fs.statSync(b).size - 10);
  await refused([a, b], /b\.safetensors: truncated safetensors file \(tensor 'w' ends at byte/);
});

// Catches: weights that are negative, NaN, all zero or of the wrong count passed to the kernel.
test('bad fusion weights are refused before anything is read', async () => {
  const files = members('dense');
  const out = path.join(tmpDir(), 'out');
  await assert.rejects(fuseModelFolders(files, [1, -1, 1], out), /weight 2 is -1/);
  await assert.rejects(fuseModelFolders(files, [1, Number.NaN, 1], out), /weight 2 is NaN/);
  await assert.rejects(fuseModelFolders(files, [0, 0, 0], out), /all zero/);
  await assert.rejects(fuseModelFolders(files, [1, 1], out), /2 fusion weights for 3 checkpoints/);
  assert.ok(!fs.existsSync(out));
});

// Catches: rmSync of the target (issue 15 item 4), or a write into a folder that holds files.
test('an output folder that holds anything is refused and left as it was', async () => {
  const parent = tmpDir();
  const target = path.join(parent, 'checkpoints');
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'ckpt-00.safetensors'), 'not mine to delete');
  await assert.rejects(
    fuseModelFolders(members('dense'), rawWeights, target),
    /checkpoints is not empty; .*nothing was deleted/,
  );
  assert.deepEqual(fs.readdirSync(target), ['ckpt-00.safetensors']);
  assert.equal(
    fs.readFileSync(path.join(target, 'ckpt-00.safetensors'), 'utf8'),
    'not mine to delete',
  );
  assert.deepEqual(fs.readdirSync(parent), ['checkpoints'], 'no staging folder left');
  const file = path.join(parent, 'file');
  fs.writeFileSync(file, 'x');
  await assert.rejects(
    fuseModelFolders(members('dense'), rawWeights, file),
    /exists and is not a folder/,
  );
  const empty = path.join(parent, 'empty');
  fs.mkdirSync(empty);
  await fuseModelFolders(members('dense'), rawWeights, empty);
  assert.ok(fs.existsSync(path.join(empty, 'model.safetensors')));
});

// Catches: mixing adapters and full checkpoints (their tensors would not even pair up).
test('an adapter and a full checkpoint cannot be fused together', async () => {
  const [adapter] = members('lora');
  const [full] = members('dense');
  await refused([full!, adapter!], /is a LoRA adapter but .* is not/);
  await refused([copyTree(path.dirname(full!))], /no model\.safetensors, .* in this folder/);
});

// Catches: a single writeSync whose short count is ignored (issue 15 item 3): partial writes must
// be continued, and a write that makes no progress must fail, not publish a short file.
test('short writes are continued, and a write that stops is an error', async () => {
  const dir = tmpDir();
  const files = members('dense').map((d) => path.join(d, 'model.safetensors'));
  // The namespace import is read-only; the module object behind it is what the code calls.
  const patched = createRequire(__filename)('node:fs') as {
    writeSync: (...a: unknown[]) => number;
  };
  const original = fs.writeSync;
  try {
    patched.writeSync = (fd, buffer, offset, length) =>
      original(fd as number, buffer as Uint8Array, offset as number, Math.min(3, length as number));
    await fuseSafetensorsFiles(files, rawWeights, path.join(dir, 'slow.safetensors'));
    patched.writeSync = () => 0;
    await assert.rejects(
      fuseSafetensorsFiles(files, rawWeights, path.join(dir, 'full.safetensors')),
      /cannot write .*: the disk is full/,
    );
  } finally {
    patched.writeSync = original as never;
  }
  await fuseSafetensorsFiles(files, rawWeights, path.join(dir, 'normal.safetensors'));
  assert.deepEqual(
    fs.readFileSync(path.join(dir, 'slow.safetensors')),
    fs.readFileSync(path.join(dir, 'normal.safetensors')),
  );
  assert.deepEqual(fs.readdirSync(dir).sort(), ['normal.safetensors', 'slow.safetensors']);
});

// Catches: a read that fails while the block before it is being summed left without a handler
// (the process then ends on an unhandled rejection instead of reporting the file), and a
// failed fusion that leaves its partial output behind.
test('a member cut short during the fusion is reported naming the file, and nothing is left', async () => {
  const dir = tmpDir();
  // 16 MiB of F16 per member: at least four blocks, each summed by two threads.
  const n = 1 << 23;
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const files = ['a', 'b', 'c'].map((name) => {
    const file = path.join(dir, `${name}.safetensors`);
    writeSafetensors(file, new Map([['w', { shape: [n], data }]]), { dtype: 'F16' });
    return file;
  });
  const parent = tmpDir();
  const threads = process.env.BOMF_FUSION_THREADS;
  process.env.BOMF_FUSION_THREADS = '2';
  try {
    for (let round = 0; round < 5; round++) {
      const intact = fs.readFileSync(files[2]!);
      const fusion = fuseSafetensorsFiles(files, [1, 1, 1], path.join(parent, 'out.safetensors'));
      // The layouts were checked and the first blocks are being read: cut the last member
      // to its first half now, so the reads of later blocks (issued once a first read has
      // completed, after this line) find its end.
      fs.truncateSync(files[2]!, intact.length - n);
      await assert.rejects(fusion, /c\.safetensors: truncated safetensors file \(tensor data/);
      assert.deepEqual(fs.readdirSync(parent), [], 'a failed fusion leaves nothing behind');
      fs.writeFileSync(files[2]!, intact);
    }
  } finally {
    if (threads === undefined) delete process.env.BOMF_FUSION_THREADS;
    else process.env.BOMF_FUSION_THREADS = threads;
  }
});
