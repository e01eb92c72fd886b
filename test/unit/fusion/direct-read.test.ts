// Unbuffered (O_DIRECT) reads of member files: spans at any offset and length come back exact
// although the disk is read in aligned pages, a file that ends early is refused, and memory or
// file systems that refuse unbuffered reads fall back to the page cache.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  DIRECT_ALIGN,
  directRegionBytes,
  MemberFiles,
  readSpan,
} from '../../../src/fusion/stream/direct-read';
import { FusionMemory } from '../../../src/fusion/stream/simd/module';
import { tmpDir } from './stream-helpers';

/** A file of `size` bytes, each byte a function of its offset (no two neighbouring pages alike). */
function patternFile(size: number): { file: string; bytes: Uint8Array } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + (i >> 12) * 13) & 0xff);
  const file = path.join(tmpDir(), 'member.safetensors');
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

/** An aligned probe and an aligned region for spans of up to `maxLength` bytes. */
function regions(memory: FusionMemory, maxLength: number) {
  const probe = memory.bytes(memory.allocate(DIRECT_ALIGN, DIRECT_ALIGN), DIRECT_ALIGN);
  const size = directRegionBytes(maxLength);
  const region = memory.bytes(memory.allocate(size, DIRECT_ALIGN), size);
  return { probe, region };
}

const SIZE = 3 * DIRECT_ALIGN + 123; // the file's end is not on a page boundary
const SPANS: [number, number][] = [
  [0, 1],
  [1, DIRECT_ALIGN - 1],
  [DIRECT_ALIGN - 1, 2],
  [DIRECT_ALIGN, DIRECT_ALIGN],
  [5000, 7000],
  [DIRECT_ALIGN + 1, SIZE - DIRECT_ALIGN - 1], // up to the last byte
  [SIZE - 1, 1],
];

// Catches: the data's offset inside the aligned read miscounted, the span's end rounded down
// (the last bytes missing), or the short read at the end of the file taken for an error.
test('spans at any offset and length read exactly, unbuffered or through the cache', async (t) => {
  const { file, bytes } = patternFile(SIZE);
  for (const env of [{}, { BOMF_FUSION_DIRECT: '0' }]) {
    const memory = FusionMemory.acquire();
    const { probe, region } = regions(memory, SIZE);
    const files = new MemberFiles(probe, env);
    try {
      const member = files.open(file);
      if (Object.keys(env).length > 0) assert.equal(member.direct, false, 'BOMF_FUSION_DIRECT=0');
      else if (!member.direct) t.diagnostic('this file system refuses O_DIRECT: cache path only');
      for (const [position, length] of SPANS) {
        const got = await readSpan(member, region, position, length, file, 'tensor data');
        assert.equal(got.length, length);
        assert.deepEqual(got, bytes.subarray(position, position + length), `${position}+${length}`);
      }
    } finally {
      files.close();
      memory.release();
    }
  }
});

// Catches: a read past the end padded with stale bytes or zeros instead of refused, and a
// message that misstates where the file ends.
test('a span past the end of the file is refused naming the file and where it ends', async () => {
  const { file } = patternFile(SIZE);
  const memory = FusionMemory.acquire();
  const { probe, region } = regions(memory, DIRECT_ALIGN * 2);
  const files = new MemberFiles(probe);
  try {
    const member = files.open(file);
    for (const [position, length] of [
      [SIZE - 10, 20],
      [SIZE + 100, 8],
    ] as const) {
      await assert.rejects(
        readSpan(member, region, position, length, file, 'tensor data'),
        new RegExp(
          `member\\.safetensors: truncated safetensors file \\(tensor data needs bytes up to ${position + length}, the file ends at ${SIZE}\\)`,
        ),
      );
    }
  } finally {
    files.close();
    memory.release();
  }
});

// Catches: a refused unbuffered read reported as an error instead of falling back to the cache
// (or the fallback remembered as unbuffered, whose next reads would then fail).
test('a probe that unbuffered reads refuse falls back to reading through the cache', async (t) => {
  const { file, bytes } = patternFile(SIZE);
  const memory = FusionMemory.acquire();
  const { probe, region } = regions(memory, SIZE);
  // One byte off a page boundary: block devices refuse unbuffered reads into it (EINVAL).
  const misaligned = memory.bytes(probe.byteOffset + 1, DIRECT_ALIGN);
  const files = new MemberFiles(misaligned);
  try {
    const member = files.open(file);
    if (member.direct) {
      t.skip('this file system takes unbuffered reads at any address (e.g. tmpfs)');
      return;
    }
    const got = await readSpan(member, region, 5000, 7000, file, 'tensor data');
    assert.deepEqual(got, bytes.subarray(5000, 12000));
  } finally {
    files.close();
    memory.release();
  }
});

// Catches: a read that fails reported with Node's bare message ("EISDIR: illegal operation on a
// directory, read"), which names no file, on either path.
test('a read that fails names the file it was reading', async () => {
  const dir = tmpDir();
  const fd = fs.openSync(dir, 'r'); // reading a folder fails (EISDIR)
  const memory = FusionMemory.acquire();
  const { region } = regions(memory, DIRECT_ALIGN);
  const file = path.join(dir, 'member.safetensors');
  try {
    for (const direct of [false, true]) {
      await assert.rejects(
        readSpan({ fd, direct }, region, 0, 16, file, 'tensor data'),
        /cannot read .*member\.safetensors: EISDIR/,
      );
    }
  } finally {
    fs.closeSync(fd);
    memory.release();
  }
});
