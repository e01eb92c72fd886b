import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Random } from '../../../src/bo';
import {
  readWordVectors,
  wholeWordTokens,
  wordVectorEmbeddings,
} from '../../../src/train/pretrain/word-vectors';
import { tokenizerFromVocabFile } from '../../../src/train/tokenizer';

const dir = mkdtempSync(join(tmpdir(), 'bomf-word-vectors-'));
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = [
  'the',
  'cat',
  'dog',
  'sees',
  'likes',
  'a',
  'king',
  'old',
  'tedious',
  'film',
  'rare',
  'odd',
];
const PIECES = ['##s', '##ing', '##ly'];
const vocabFile = join(dir, 'vocab.txt');
writeFileSync(vocabFile, `${[...SPECIALS, ...WORDS, ...PIECES].join('\n')}\n`);
const tok = tokenizerFromVocabFile(vocabFile, true);
const skipIds = new Set([0, 1, 2, 3, 4]);

test('readWordVectors reads GloVe text, skips a word2vec header and keeps only the wanted words', () => {
  const file = join(dir, 'small.txt.gz');
  writeFileSync(file, gzipSync('3 2\nthe 0.5 -1\nunwanted 9 9\ncat 1e-2 2\n'));
  const read = readWordVectors(file, new Set(['the', 'cat', 'dog']));
  assert.equal(read.dimensions, 2);
  assert.deepEqual([...read.vectors.keys()], ['the', 'cat']);
  assert.deepEqual([...read.vectors.get('cat')!], [Math.fround(0.01), 2]);
});

test('readWordVectors names the file and line of a malformed vector', () => {
  const short = join(dir, 'short.txt');
  writeFileSync(short, 'the 1 2 3\ncat 1 2\n');
  assert.throws(
    () => readWordVectors(short, new Set(['the'])),
    new RegExp(
      `${short.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: expected a word and 3 numbers, got 3 fields`,
    ),
  );
  const text = join(dir, 'text.txt');
  writeFileSync(text, 'the 1 2\ncat 1 two\n');
  assert.throws(
    () => readWordVectors(text, new Set(['cat'])),
    /text\.txt:2: 'two' \(value 2 of 'cat'\) is not a number/,
  );
  assert.throws(
    () => readWordVectors(join(dir, 'missing.txt'), new Set()),
    /missing\.txt: cannot read word vectors/,
  );
});

test('wholeWordTokens asks for whole words only, never for pieces or special tokens', () => {
  assert.deepEqual([...wholeWordTokens(tok, skipIds)].sort(), [...WORDS].sort());
});

test('wordVectorEmbeddings: known words take their vector, the rest the mapped co-occurrence row', () => {
  const h = 6;
  const d = 3;
  const random = new Random(7);
  const v = tok.vocabSize;
  const cooc = Float32Array.from({ length: v * h }, () => random.normal() * 0.02);
  const map = Array.from({ length: h * d }, () => random.normal() * 20); // the true h × d map
  const mapped = (id: number) =>
    Array.from({ length: d }, (_, k) => {
      let s = 0;
      for (let i = 0; i < h; i++) s += cooc[id * h + i]! * map[i * d + k]!;
      return s;
    });
  // Ten words have vectors that are exactly their co-occurrence row through the map; 'rare' and
  // 'odd' have none, and the file's '##ing' must never be used (pieces are not words).
  const known = WORDS.slice(0, 10);
  const lines = known.map(
    (w) =>
      `${w} ${mapped(tok.tokenToId(w)!)
        .map((x) => x.toPrecision(17))
        .join(' ')}`,
  );
  lines.push('##ing 100 100 100');
  const file = join(dir, 'vectors.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const words = readWordVectors(file, new Set([...wholeWordTokens(tok, skipIds), '##ing']));
  const std = 0.06;
  const table = wordVectorEmbeddings(tok, cooc, words, { hiddenSize: h, std, skipIds });
  assert.equal(table.length, v * h);
  // One scale for the vector block: the known rows' entries have root mean square `std`.
  let sumSq = 0;
  for (const w of known) for (const x of words.vectors.get(w)!) sumSq += x * x;
  const scale = std / Math.sqrt(sumSq / (known.length * d));
  for (let id = 0; id < v; id++) {
    const row = table.subarray(id * h, (id + 1) * h);
    if (skipIds.has(id)) {
      assert.deepEqual([...row], [...cooc.subarray(id * h, (id + 1) * h)], `special ${id} kept`);
      continue;
    }
    const token = tok.idToToken(id);
    const expected = known.includes(token) ? [...words.vectors.get(token)!] : mapped(id);
    expected.forEach((x, k) => {
      assert.ok(
        Math.abs(row[k]! - x * scale) < 2e-3 * std,
        `${token}[${k}]: ${row[k]} vs ${x * scale}`,
      );
    });
  }
  // The columns above d are the co-occurrence rows' leading columns, rescaled to `std`.
  const regular = [...Array(v).keys()].filter((id) => !skipIds.has(id));
  let restSq = 0;
  for (const id of regular) for (let k = 0; k < h - d; k++) restSq += cooc[id * h + k]! ** 2;
  const restScale = std / Math.sqrt(restSq / (regular.length * (h - d)));
  for (const id of regular)
    for (let k = 0; k < h - d; k++)
      assert.ok(Math.abs(table[id * h + d + k]! - cooc[id * h + k]! * restScale) < 1e-6);
});

test('wordVectorEmbeddings refuses vectors wider than the hidden size, or none for the vocabulary', () => {
  const cooc = new Float32Array(tok.vocabSize * 4);
  const wide = { dimensions: 8, vectors: new Map([['the', new Float32Array(8)]]) };
  assert.throws(
    () => wordVectorEmbeddings(tok, cooc, wide, { hiddenSize: 4, std: 0.02, skipIds }),
    /word vectors of 8 dimensions do not fit a hidden size of 4/,
  );
  const none = { dimensions: 2, vectors: new Map([['zebra', new Float32Array(2)]]) };
  assert.throws(
    () => wordVectorEmbeddings(tok, cooc, none, { hiddenSize: 4, std: 0.02, skipIds }),
    /none of the vocabulary's 15 tokens has a word vector/,
  );
  // Read from a file, the vectors carry its name into the refusal.
  const file = join(dir, 'zebra.txt');
  writeFileSync(file, 'zebra 0.5 0.25\n');
  const fromFile = readWordVectors(file, new Set(['zebra']));
  assert.throws(
    () => wordVectorEmbeddings(tok, cooc, fromFile, { hiddenSize: 4, std: 0.02, skipIds }),
    (err: Error) =>
      err.message.startsWith(`${file}: none of the vocabulary's 15 tokens has a word vector`),
  );
});
