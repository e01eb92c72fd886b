// safetensors reader/writer: round trips, a file written by hand in Python (generate.py in
// test/fixtures/safetensors), F16/BF16 rounding against numpy, sharded checkpoints, bad files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { NamedTensors } from '../../../src/train/named-tensors';
import {
  readSafetensors,
  readSafetensorsHeader,
  readShardedSafetensors,
  writeSafetensors,
} from '../../../src/train/safetensors';
import { floatToHalf, halfToFloat } from '../../../src/train/safetensors-dtypes';

const fixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'safetensors');
const pythonFile = path.join(fixtures, 'python-written.safetensors');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'python-written.json'), 'utf8'));
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-st-'));

function sample(): NamedTensors {
  const t: NamedTensors = new Map();
  t.set('bert.embeddings.word_embeddings.weight', {
    shape: [5, 3],
    data: Float32Array.from({ length: 15 }, (_, i) => Math.sin(i) * 3),
  });
  t.set('classifier.bias', { shape: [2], data: Float32Array.from([0.5, -1.25]) });
  t.set('scalar', { shape: [], data: Float32Array.from([7]) });
  return t;
}

/** Raw little-endian uint16 codes of a tensor stored in 16 bits. */
function codesOf(file: string, name: string): number[] {
  const header = readSafetensorsHeader(file);
  const [begin, end] = header.tensors.get(name)!.dataOffsets;
  const bytes = fs.readFileSync(file).subarray(header.dataStart + begin, header.dataStart + end);
  return Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readUInt16LE(2 * i));
}

describe('round trip', () => {
  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    test(`${dtype}`, () => {
      const file = path.join(tmpDir(), 'model.safetensors');
      const tensors = sample();
      writeSafetensors(file, tensors, { dtype, metadata: { step: '12', format: 'pt' } });
      const back = readSafetensors(file);
      assert.deepEqual(back.metadata, { step: '12', format: 'pt' });
      assert.deepEqual([...back.tensors.keys()].sort(), [...tensors.keys()].sort());
      // Relative error bound of the storage type: 2^-24 (F32), 2^-11 (F16), 2^-8 (BF16).
      const tol = { F32: 0, F16: 2 ** -11, BF16: 2 ** -8 }[dtype];
      for (const [name, t] of tensors) {
        const b = back.tensors.get(name)!;
        assert.deepEqual(b.shape, t.shape);
        t.data.forEach((v, i) => {
          assert.ok(
            Math.abs(b.data[i] - v) <= tol * Math.abs(v),
            `${name}[${i}] ${b.data[i]} vs ${v}`,
          );
        });
      }
      const header = readSafetensorsHeader(file);
      assert.equal(header.dataStart % 8, 0, 'data buffer is 8-byte aligned');
      assert.equal(header.tensors.get('classifier.bias')!.dtype, dtype);
    });
  }

  test('writes atomically: no temp files left, existing file replaced', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'w.safetensors');
    writeSafetensors(file, sample());
    writeSafetensors(file, new Map([['only', { shape: [1], data: Float32Array.from([1]) }]]));
    assert.deepEqual(fs.readdirSync(dir), ['w.safetensors']);
    assert.deepEqual([...readSafetensors(file).tensors.keys()], ['only']);
  });

  test('shape/data mismatch is refused before writing', () => {
    const file = path.join(tmpDir(), 'x.safetensors');
    const bad: NamedTensors = new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]);
    assert.throws(() => writeSafetensors(file, bad), /'w' has shape \[2,2\] but 3 values/);
    assert.equal(fs.existsSync(file), false);
  });
});

describe('interoperability with an independent writer', () => {
  test('reads the Python-written file (unaligned header, F32/F16/BF16/I64, 0-d tensor)', () => {
    const { tensors, metadata } = readSafetensors(pythonFile);
    assert.deepEqual(metadata, expected.metadata);
    assert.deepEqual([...tensors.keys()].sort(), Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries<{ shape: number[]; values: number[] }>(
      expected.tensors,
    )) {
      const got = tensors.get(name)!;
      assert.deepEqual(got.shape, want.shape, name);
      assert.deepEqual(Array.from(got.data), want.values.map(Math.fround), name);
    }
  });

  test('F16 and BF16 encodings equal numpy / round-to-nearest-even bit patterns', () => {
    const inputs = Float32Array.from(expected.rounding_inputs as number[]);
    const dir = tmpDir();
    for (const [dtype, key] of [
      ['F16', 'f16_codes'],
      ['BF16', 'bf16_codes'],
    ] as const) {
      const file = path.join(dir, `${dtype}.safetensors`);
      writeSafetensors(file, new Map([['x', { shape: [inputs.length], data: inputs }]]), { dtype });
      assert.deepEqual(codesOf(file, 'x'), expected[key], dtype);
    }
    // Our written F16/BF16 tensors from the fixture decode to the same codes Python stored.
    const { tensors } = readSafetensors(pythonFile);
    const file = path.join(dir, 'again.safetensors');
    writeSafetensors(file, new Map([['a.half', tensors.get('a.half')!]]), { dtype: 'F16' });
    assert.deepEqual(codesOf(file, 'a.half'), expected.tensors['a.half'].codes);
    writeSafetensors(file, new Map([['m.brain', tensors.get('m.brain')!]]), { dtype: 'BF16' });
    assert.deepEqual(codesOf(file, 'm.brain'), expected.tensors['m.brain'].codes);
  });

  test('half-precision special values (IEEE 754 binary16 bit patterns)', () => {
    assert.equal(floatToHalf(1), 0x3c00);
    assert.equal(floatToHalf(-2), 0xc000);
    assert.equal(floatToHalf(65504), 0x7bff);
    assert.equal(floatToHalf(2 ** -24), 0x0001);
    assert.equal(floatToHalf(Number.POSITIVE_INFINITY), 0x7c00);
    assert.equal(floatToHalf(-1e6), 0xfc00);
    assert.ok(Number.isNaN(halfToFloat(floatToHalf(Number.NaN))));
    assert.ok(Object.is(halfToFloat(floatToHalf(-0)), -0));
  });
});

describe('sharded checkpoints', () => {
  test('reads tensors through model.safetensors.index.json', () => {
    const dir = tmpDir();
    const all = sample();
    const names = [...all.keys()];
    const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    writeSafetensors(path.join(dir, shards[0]), new Map([[names[0], all.get(names[0])!]]));
    writeSafetensors(
      path.join(dir, shards[1]),
      new Map(names.slice(1).map((n) => [n, all.get(n)!])),
    );
    const weightMap = { [names[0]]: shards[0], [names[1]]: shards[1], [names[2]]: shards[1] };
    const index = path.join(dir, 'model.safetensors.index.json');
    fs.writeFileSync(
      index,
      JSON.stringify({ metadata: { total_size: 72 }, weight_map: weightMap }),
    );
    const { tensors } = readShardedSafetensors(index);
    assert.deepEqual(tensors, all);

    fs.writeFileSync(index, JSON.stringify({ weight_map: { ...weightMap, missing: shards[0] } }));
    assert.throws(
      () => readShardedSafetensors(index),
      /index\.json: tensor 'missing' is not in model-00001/,
    );
    fs.rmSync(path.join(dir, shards[1]));
    assert.throws(
      () => readShardedSafetensors(index),
      /model-00002-of-00002\.safetensors is missing/,
    );
  });
});

describe('bad files are reported with their name', () => {
  const good = fs.readFileSync(pythonFile);
  const write = (bytes: Uint8Array) => {
    const file = path.join(tmpDir(), 'broken.safetensors');
    fs.writeFileSync(file, bytes);
    return file;
  };
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['shorter than 8 bytes', () => good.subarray(0, 5), /truncated .*5 bytes/],
    ['header cut off', () => good.subarray(0, 100), /truncated .*header says 380 bytes/],
    [
      'data cut off',
      () => good.subarray(0, good.length - 3),
      /truncated .*tensor '.*' ends at byte/,
    ],
    [
      'implausible header length',
      () => Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0x10]), good.subarray(8)]),
      /corrupt .*header length/,
    ],
    [
      'invalid JSON',
      () => {
        const b = Buffer.from(good);
        b[8] = 0x5b; // '[' instead of '{'
        return b;
      },
      /corrupt safetensors header: invalid JSON/,
    ],
    [
      'offsets that do not match the shape',
      () =>
        Buffer.from(good.toString('latin1').replace('"shape":[2,3]', '"shape":[2,2]'), 'latin1'),
      /'z\.weight' spans 24 bytes but F32\[2,2\] needs 16/,
    ],
  ];
  for (const [name, make, pattern] of cases) {
    test(name, () => {
      const file = write(make());
      for (const read of [readSafetensors, readSafetensorsHeader]) {
        assert.throws(
          () => read(file),
          (e: Error) => e.message.startsWith(file) && pattern.test(e.message),
        );
      }
    });
  }
});
