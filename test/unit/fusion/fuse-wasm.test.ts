// Streaming fusion's WebAssembly SIMD kernels (src/fusion/stream/simd/fuse.c) against the scalar
// definition: decode every member exactly, add w_k·x_k in float64 member after member, round to
// float32 then to the dtype, to nearest even. Every 16-bit code goes through, specials included.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { dtypeCode, FusionMemory, type SummedDtype } from '../../../src/fusion/stream/simd/module';
import { float32Table, floatToBfloat16, floatToHalf } from '../../../src/train/safetensors-dtypes';

const root = path.join(__dirname, '..', '..', '..');
const hasClang = ['clang', 'clang-14'].some(
  (c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0,
);

test('the committed fuse-wasm.ts is byte for byte what scripts/build-simd-wasm.mjs builds from fuse.c', {
  skip: hasClang ? false : 'clang is not installed (apt-get install -y clang lld)',
}, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuse-wasm-test-'));
  const out = path.join(dir, 'fuse-wasm.ts');
  const script = path.join(root, 'scripts', 'build-simd-wasm.mjs');
  const r = spawnSync(process.execPath, [script, '--module', 'fusion', '--out', out], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const committed = path.join(root, 'src', 'fusion', 'stream', 'simd', 'fuse-wasm.ts');
  assert.equal(
    fs.readFileSync(out, 'utf8'),
    fs.readFileSync(committed, 'utf8'),
    'rebuild the module: npm run build:wasm',
  );
  fs.rmSync(dir, { recursive: true });
});

const SIZES: Record<SummedDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/** Values and the typed array that stores them, per dtype. */
function stored(dtype: SummedDtype, bytes: Uint8Array): Uint16Array | Float32Array | Float64Array {
  const n = bytes.byteLength / SIZES[dtype];
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  if (dtype === 'F64') return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
}

function decoded(dtype: SummedDtype, values: ArrayLike<number>, i: number): number {
  return dtype === 'F16' || dtype === 'BF16' ? float32Table(dtype)[values[i]!]! : values[i]!;
}

function encoded(dtype: SummedDtype, sum: number): number {
  if (dtype === 'F16') return floatToHalf(sum);
  if (dtype === 'BF16') return floatToBfloat16(sum);
  return dtype === 'F32' ? Math.fround(sum) : sum;
}

const isNaNCode = (dtype: SummedDtype, code: number) =>
  dtype === 'F16' ? (code & 0x7fff) > 0x7c00 : dtype === 'BF16' ? (code & 0x7fff) > 0x7f80 : false;

/** The same value, NaN of any sign and payload counting as one value (as IEEE leaves them open). */
function same(dtype: SummedDtype, got: number, want: number): boolean {
  if (Number.isNaN(want) || isNaNCode(dtype, want))
    return Number.isNaN(got) || isNaNCode(dtype, got);
  return Object.is(got, want);
}

/** Member values: every 16-bit code (shuffled per member), or random floats with specials. */
function memberValues(dtype: SummedDtype, n: number, k: number): number[] {
  let s = 12345 + k * 7919;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  if (dtype === 'F16' || dtype === 'BF16')
    return Array.from({ length: n }, (_, i) => (i * (2 * k + 1) + k * 977) & 0xffff);
  const specials = [0, -0, Number.NaN, Infinity, -Infinity, 1e-42, -3.4e38, 65504, 2 ** -24];
  return Array.from({ length: n }, (_, i) =>
    i < specials.length
      ? specials[(i + k) % specials.length]!
      : (next() / 2 ** 32 - 0.5) * 2 ** ((next() % 60) - 30),
  );
}

// Catches: a wrong F16/BF16 decode of subnormals, zeros, Inf or NaN; float32 accumulation instead
// of float64; members summed in another order; rounding other than to nearest even; a range end
// that drops the last partial step or writes whole steps past it.
for (const dtype of ['F16', 'BF16', 'F32', 'F64'] as const) {
  test(`fuse_range and sum_range on ${dtype} equal the scalar float64 sum, then rounding`, () => {
    const memory = new FusionMemory();
    const n = 65536 + 3;
    const weights = [0.37, -1.25, 2 ** -20, 0.5, 3];
    const size = SIZES[dtype];
    const pointers = weights.map((_, k) => {
      const at = memory.allocate(n * size);
      stored(dtype, memory.bytes(at, n * size)).set(memberValues(dtype, n, k));
      return at;
    });
    const members = memory.allocateMembers(weights.length);
    members.set(pointers, weights);
    const memberData = pointers.map((at) => stored(dtype, memory.bytes(at, n * size)));
    const want = Array.from({ length: n }, (_, i) => {
      let sum = 0;
      for (const [k, w] of weights.entries()) sum += w * decoded(dtype, memberData[k]!, i);
      return sum;
    });

    const from = 8;
    const mid = 32768; // [from, mid): whole 8-element steps; [mid, to): a partial last step
    const to = n - 2;
    const out = memory.allocate((n + 16) * size);
    const got = stored(dtype, memory.bytes(out, (n + 16) * size));
    got.fill(dtype === 'F16' || dtype === 'BF16' ? 0x1234 : 7);
    const untouched = got[0];
    const fuse = (a: number, b: number) =>
      memory.kernels.fuse_range(
        dtypeCode(dtype),
        out,
        members.srcs,
        members.w,
        weights.length,
        a,
        b,
      );
    fuse(from, mid);
    assert.equal(got[mid], untouched, 'a whole-step range writes nothing past its end');
    fuse(mid, to);
    for (let i = from; i < to; i++) {
      if (!same(dtype, got[i]!, encoded(dtype, want[i]!)))
        assert.fail(`${dtype} element ${i}: ${got[i]} ≠ ${encoded(dtype, want[i]!)}`);
    }
    // Nothing before the range, nothing beyond its last 8-element step (to + 6).
    assert.equal(got[from - 1], untouched);
    assert.equal(got[to + 7], untouched);

    const acc = memory.allocate((n + 8) * 8);
    memory.kernels.sum_range(dtypeCode(dtype), acc, members.srcs, members.w, weights.length, 0, n);
    const sums = new Float64Array(memory.memory.buffer, acc, n);
    for (let i = 0; i < n; i++) {
      if (!same('F64', sums[i]!, want[i]!))
        assert.fail(`${dtype} sum ${i}: ${sums[i]} ≠ ${want[i]}`);
    }
    // encode_range rounds the float64 sums exactly like fuse_range.
    const again = memory.allocate(n * size);
    memory.kernels.encode_range(dtypeCode(dtype), again, acc, 0, n);
    const reencoded = stored(dtype, memory.bytes(again, n * size));
    for (let i = from; i < to; i++)
      assert.ok(same(dtype, reencoded[i]!, got[i]!), `${dtype} encode ${i}`);
  });
}

// Catches: a fusion that does not hand its memory back (each new one reserves ~10 GiB of address
// space until collected: a long stage 3 piled up terabytes), or a LoRA kernel that keeps its own.
test('a finished fusion hands its kernel memory to the next one', async () => {
  const { fuseSafetensorsFiles } = await import('../../../src/fusion/stream');
  const { writeSafetensors } = await import('../../../src/train/safetensors');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuse-memory-'));
  const files = [1, 2].map((k) => {
    const file = path.join(dir, `m${k}.safetensors`);
    const data = new Float32Array(100_000).fill(k);
    writeSafetensors(file, new Map([['w', { shape: [data.length], data }]]));
    return file;
  });
  await fuseSafetensorsFiles(files, [1, 1], path.join(dir, 'fused.safetensors'));
  const reused = FusionMemory.acquire();
  assert.ok(reused.memory.buffer.byteLength > 65536, 'the memory the fusion grew, not a new one');
  reused.release();
  fs.rmSync(dir, { recursive: true });
});
