// Tokenizers against reference encodings from an independent Python implementation
// (test/fixtures/tokenizers/generate.py), plus vocab.txt loading, saving and WordPiece training.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  loadTokenizer,
  type Tokenizer,
  tokenizerFromJsonFile,
  tokenizerFromVocabFile,
  trainWordPiece,
} from '../../../src/train/tokenizer';

const fixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'tokenizers');

interface Case {
  text: string;
  pair?: string;
  maxLength: number | null;
  tokens?: string[];
  inputIds: number[];
  tokenTypeIds: number[];
}
const reference: Record<string, Case[]> = JSON.parse(
  fs.readFileSync(path.join(fixtures, 'reference.json'), 'utf8'),
);

function checkAgainstReference(tok: Tokenizer, cases: Case[]) {
  assert.ok(cases.length > 20);
  for (const c of cases) {
    const label = `${JSON.stringify(c.text)} / ${JSON.stringify(c.pair)} max ${c.maxLength}`;
    if (c.tokens) assert.deepEqual(tok.tokenize(c.text), c.tokens, label);
    const e = tok.encode(c.text, c.pair, c.maxLength ?? undefined);
    assert.deepEqual(e.inputIds, c.inputIds, label);
    assert.deepEqual(e.tokenTypeIds, c.tokenTypeIds, label);
    assert.deepEqual(
      e.attentionMask,
      c.inputIds.map(() => 1),
      label,
    );
    if (c.maxLength !== null) assert.ok(e.inputIds.length <= c.maxLength, label);
  }
}

describe('BERT WordPiece (bert-base-uncased vocabulary)', () => {
  const dir = path.join(fixtures, 'bert-base-uncased');
  const fromJson = tokenizerFromJsonFile(path.join(dir, 'tokenizer.json'));

  test('tokenizer.json matches the reference encodings', () => {
    checkAgainstReference(fromJson, reference['bert-base-uncased']);
  });

  test('vocab.txt alone gives the same encodings (uncased guessed from the vocabulary)', () => {
    checkAgainstReference(
      tokenizerFromVocabFile(path.join(dir, 'vocab.txt')),
      reference['bert-base-uncased'],
    );
  });

  test('special ids are the ones of bert-base-uncased', () => {
    assert.deepEqual(
      [fromJson.padId, fromJson.unkId, fromJson.clsId, fromJson.sepId, fromJson.maskId],
      [0, 100, 101, 102, 103],
    );
    assert.equal(fromJson.vocabSize, 30522);
    assert.equal(fromJson.idToToken(1996), 'the');
    assert.equal(fromJson.tokenToId('##berries'), 20968);
    assert.equal(fromJson.tokenToId('no-such-token'), undefined);
    assert.throws(() => fromJson.idToToken(30522), /outside the vocabulary/);
  });

  test('words longer than 100 characters become [UNK]', () => {
    assert.deepEqual(fromJson.tokenize(`${'a'.repeat(101)} b`), ['[UNK]', 'b']);
    assert.notDeepEqual(fromJson.tokenize('a'.repeat(100)), ['[UNK]']);
  });

  // Bug caught: BertNormalizer deleting NEL and friends as control characters, gluing two words.
  test('NEL, line/paragraph separators and form feed separate words like a space', () => {
    for (const sep of ['\u0085', '\u2028', '\u2029', '\f', '\v', '\u001e']) {
      assert.deepEqual(fromJson.tokenize(`good${sep}bad`), ['good', 'bad'], JSON.stringify(sep));
      assert.deepEqual(fromJson.encode(`good${sep}bad`), fromJson.encode('good bad'));
    }
  });
});

describe('byte-level BPE (GPT-2 merges, RoBERTa layout)', () => {
  const file = path.join(fixtures, 'gpt2-bpe-4k', 'tokenizer.json');
  const tok = tokenizerFromJsonFile(file);

  test('matches the reference encodings, pair as <s> A </s></s> B </s> with type ids 0', () => {
    checkAgainstReference(tok, reference['gpt2-bpe-4k']);
  });

  test('specials come from the RoBERTa vocabulary', () => {
    assert.deepEqual([tok.clsId, tok.padId, tok.sepId, tok.unkId], [0, 1, 2, 3]);
    assert.equal(tok.maskId, tok.vocabSize - 1);
  });

  test('merges in the newer list-of-pairs form give the same result', () => {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.model.merges = json.model.merges.map((m: string) => m.split(' '));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-tok-'));
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
    checkAgainstReference(loadTokenizer(dir), reference['gpt2-bpe-4k']);
  });
});

describe('loading errors name the file', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-tok-'));

  test('empty directory', () => {
    const dir = tmp();
    assert.throws(
      () => loadTokenizer(dir),
      (e: Error) => e.message.includes(dir) && /vocab\.txt/.test(e.message),
    );
  });

  test('malformed tokenizer.json', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{"model": ');
    assert.throws(
      () => loadTokenizer(dir),
      (e: Error) => e.message.includes(path.join(dir, 'tokenizer.json')),
    );
  });

  test('vocab.txt without [CLS] and a repeated token', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'vocab.txt'), '[PAD]\n[UNK]\n[SEP]\nhello\n');
    assert.throws(() => loadTokenizer(dir), /vocab\.txt: the vocabulary has no \[CLS\]/);
    fs.writeFileSync(path.join(dir, 'vocab.txt'), '[PAD]\nhello\n[UNK]\nhello\n');
    assert.throws(() => loadTokenizer(dir), /vocab\.txt:4: token 'hello' repeats line 2/);
  });
});

describe('trainWordPiece', () => {
  const corpus = [
    'The quick brown fox jumps over the lazy dog.',
    'A quick movie about foxes, dogs and jumping.',
    'The movie was quick; the dog was lazy!',
    'Jumping foxes jump over lazy dogs every day.',
    'Über café: the dog jumped, the fox jumped.',
  ];
  const tok = trainWordPiece(corpus, { vocabSize: 120, minFrequency: 2 });

  test('specials sit at ids 0..4 and are used by encode', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => tok.idToToken(i)),
      ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
    );
    assert.deepEqual([tok.padId, tok.unkId, tok.clsId, tok.sepId, tok.maskId], [0, 1, 2, 3, 4]);
    const e = tok.encode('the dog', 'the fox');
    assert.equal(e.inputIds[0], 2);
    assert.equal(e.inputIds.filter((id) => id === 3).length, 2);
    assert.ok(e.tokenTypeIds.includes(1));
  });

  test('frequent words become whole tokens; rarer ones split into ## pieces', () => {
    assert.ok(tok.vocabSize <= 120);
    for (const word of ['the', 'quick', 'dog', 'lazy'])
      assert.deepEqual(tok.tokenize(word), [word]);
    const pieces = tok.tokenize('quickfoxdogs'); // unseen word made of seen parts
    assert.ok(pieces.length > 1, pieces.join(' '));
    assert.ok(pieces.slice(1).every((p) => p.startsWith('##')));
    assert.equal(pieces.map((p, i) => (i ? p.slice(2) : p)).join(''), 'quickfoxdogs');
  });

  test('lowercases and strips accents; unseen characters become [UNK]', () => {
    assert.deepEqual(tok.tokenize('THE Dog'), ['the', 'dog']);
    assert.equal(tok.tokenize('cafe').join('').replace(/#/g, ''), 'cafe');
    assert.deepEqual(tok.tokenize('dog中'), ['dog', '[UNK]']); // CJK chars stand alone
  });

  test('is deterministic and round-trips through save/load', () => {
    const again = trainWordPiece(corpus, { vocabSize: 120, minFrequency: 2 });
    assert.deepEqual(
      Array.from({ length: tok.vocabSize }, (_, i) => again.idToToken(i)),
      Array.from({ length: tok.vocabSize }, (_, i) => tok.idToToken(i)),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-tok-'));
    tok.save(dir);
    const fromJson = loadTokenizer(dir);
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    const fromVocab = loadTokenizer(dir);
    for (const s of [...corpus, 'an unseen SENTENCE with fox']) {
      assert.deepEqual(fromJson.encode(s, 'pair'), tok.encode(s, 'pair'));
      assert.deepEqual(fromVocab.encode(s, 'pair'), tok.encode(s, 'pair'));
    }
  });
});
