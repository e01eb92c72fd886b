// Dataset loading on slices of the real GLUE files (test/fixtures/data, see SOURCES.md there) and
// every bad-data case, each of which must name the file, line and column.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DataError, type DataSpec, loadDataset } from '../../../src/train/data';
import { printable } from '../../../src/train/data/text-hygiene';

const fixtures = path.resolve(__dirname, '..', '..', 'fixtures', 'data');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8'));
const sst2: DataSpec = {
  train: 'sst2-train.tsv',
  test: 'sst2-dev.tsv',
  text: 'sentence',
  label: 'label',
  task: 'classification',
};

/** The raw data lines of a fixture file (header dropped), split on tabs. */
function tsvRows(file: string): string[][] {
  return fs
    .readFileSync(path.join(fixtures, file), 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

describe('real files', () => {
  test('SST-2: dev file as test, validation carved from train with a seed', () => {
    const ds = loadDataset(sst2, fixtures);
    const trainRows = tsvRows('sst2-train.tsv');
    assert.deepEqual(ds.labelNames, ['0', '1']);
    assert.deepEqual(ds.origin, { validation: 'carved', test: 'file' });
    assert.equal(ds.test.length, 12);
    assert.equal(ds.validation.length, 6); // round(60 · 0.1)
    assert.equal(ds.train.length, 54);
    // train ∪ validation is the train file, in file order, and labels are the numeric ids.
    const all = [...ds.train, ...ds.validation].map((e) => `${e.text}\t${e.label}`).sort();
    assert.deepEqual(all, trainRows.map((r) => `${r[0]}\t${Number(r[1])}`).sort());
    assert.deepEqual(loadDataset(sst2, fixtures), ds, 'same seed, same split');
    assert.notDeepEqual(loadDataset({ ...sst2, seed: 7 }, fixtures).validation, ds.validation);
  });

  test('without a test file, test and validation are both carved and disjoint', () => {
    const ds = loadDataset({ ...sst2, test: undefined, testFraction: 0.2 }, fixtures);
    assert.deepEqual([ds.train.length, ds.validation.length, ds.test.length], [42, 6, 12]);
    assert.deepEqual(ds.origin, { validation: 'carved', test: 'carved' });
    const texts = [ds.train, ds.validation, ds.test].flat().map((e) => e.text);
    assert.equal(new Set(texts).size, new Set(tsvRows('sst2-train.tsv').map((r) => r[0])).size);
  });

  test('limit takes a seeded subset per split', () => {
    const ds = loadDataset({ ...sst2, limit: { train: 10, test: 5 } }, fixtures);
    assert.deepEqual([ds.train.length, ds.validation.length, ds.test.length], [10, 6, 5]);
    const full = loadDataset(sst2, fixtures);
    assert.ok(ds.train.every((e) => full.train.some((f) => f.text === e.text)));
  });

  test('RTE: sentence pairs with named labels in sorted order', () => {
    const ds = loadDataset(
      {
        train: 'rte-train.tsv',
        text: 'sentence1',
        textPair: 'sentence2',
        label: 'label',
        task: 'classification',
        validationFraction: 0.2,
        testFraction: 0.2,
      },
      fixtures,
    );
    assert.deepEqual(ds.labelNames, ['entailment', 'not_entailment']);
    const rows = tsvRows('rte-train.tsv');
    const first = [...ds.train, ...ds.validation, ...ds.test].find((e) => e.text === rows[0][1])!;
    assert.equal(first.pair, rows[0][2]);
    assert.equal(first.label, ds.labelNames!.indexOf(rows[0][3]));
  });

  test('MRPC: UTF-8 BOM before the header, quote characters kept verbatim', () => {
    const spec: DataSpec = {
      train: 'mrpc-dev.tsv',
      text: '#1 String',
      textPair: '#2 String',
      label: 'Quality',
      task: 'classification',
      validationFraction: 0.25,
      testFraction: 0.25,
    };
    const ds = loadDataset(spec, fixtures);
    const texts = new Set([...ds.train, ...ds.validation, ...ds.test].map((e) => e.text));
    const rows = tsvRows('mrpc-dev.tsv');
    assert.ok(
      rows.some((r) => r[3].includes('"')),
      'the slice has quote characters',
    );
    assert.deepEqual(texts, new Set(rows.map((r) => r[3])));
  });

  test('CoLA: no header, columns by index', () => {
    const spec: DataSpec = {
      train: 'cola-train.tsv',
      header: false,
      text: 3,
      label: 1,
      task: 'classification',
    };
    const ds = loadDataset(spec, fixtures);
    assert.equal(ds.train.length + ds.validation.length + ds.test.length, 30);
    assert.throws(
      () => loadDataset({ ...spec, text: 'sentence' }, fixtures),
      (e: DataError) =>
        e instanceof DataError && e.column === 'sentence' && /without a header/.test(e.message),
    );
  });

  test('STS-B: regression scores as floats', () => {
    const ds = loadDataset(
      {
        train: 'stsb-train.tsv',
        text: 'sentence1',
        textPair: 'sentence2',
        label: 'score',
        task: 'regression',
        validationFraction: 0.25,
        testFraction: 0.25,
      },
      fixtures,
    );
    assert.equal(ds.labelNames, null);
    const byText = new Map(tsvRows('stsb-train.tsv').map((r) => [r[7], Number.parseFloat(r[9])]));
    for (const e of [...ds.train, ...ds.validation, ...ds.test])
      assert.equal(e.label, byText.get(e.text));
  });

  test('CSV with BOM, quoted commas, escaped quotes and a line break inside a field', () => {
    const ds = loadDataset({ ...sst2, train: 'sst2-dev.csv', test: 'sst2-dev.csv' }, fixtures);
    assert.deepEqual(ds.test, expected.csv_rows);
  });

  test('JSONL with class names given in order', () => {
    const ds = loadDataset(
      {
        ...sst2,
        train: 'sst2-dev.jsonl',
        test: 'sst2-dev.jsonl',
        labels: ['negative', 'positive'],
      },
      fixtures,
    );
    assert.deepEqual(ds.test, expected.csv_rows);
  });

  // Catches class ids assigned in string order ("10" before "2"): with 12 numeric classes the
  // ids, the class names and every example's label would disagree with the file's numbers.
  for (const [kind, name] of [
    ['integer', (k: number) => String(k)],
    ['float (as pandas writes them)', (k: number) => `${k}.0`],
  ] as const) {
    test(`twelve numeric ${kind} classes get ids in numeric order`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-labels-'));
      // Rows in a scrambled class order, so neither file order nor string order is numeric order.
      const classes = [7, 11, 2, 0, 10, 5, 1, 9, 3, 8, 4, 6];
      const lines = ['text\tlabel'];
      for (let r = 0; r < 48; r++) lines.push(`row ${r}\t${name(classes[r % 12]!)}`);
      fs.writeFileSync(path.join(dir, 'train.tsv'), `${lines.join('\n')}\n`);
      const ds = loadDataset(
        { train: 'train.tsv', text: 'text', label: 'label', task: 'classification' },
        dir,
      );
      assert.deepEqual(
        ds.labelNames,
        Array.from({ length: 12 }, (_, k) => name(k)),
      );
      for (const e of [...ds.train, ...ds.validation, ...ds.test]) {
        const row = Number(e.text.split(' ')[1]);
        assert.equal(e.label, classes[row % 12], e.text);
      }
    });
  }
});

describe('bad data is reported with file, line and column', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-data-'));
  const write = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  const good = 'text\tlabel\na\tpos\nb\tneg\nc\tpos\nd\tneg\ne\tpos\nf\tneg\n';
  write('good.tsv', good);
  const base: DataSpec = {
    train: 'good.tsv',
    text: 'text',
    label: 'label',
    task: 'classification',
    validationFraction: 0.2,
    testFraction: 0.2,
  };
  const expectError = (
    spec: Partial<DataSpec>,
    where: { file: string; line?: number; column?: string },
    pattern: RegExp,
  ) => {
    assert.throws(
      () => loadDataset({ ...base, ...spec }, dir),
      (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.equal(e.file, path.join(dir, where.file));
        assert.equal(e.line, where.line);
        assert.equal(e.column, where.column);
        assert.match(e.message, pattern);
        assert.ok(e.message.startsWith(e.file));
        return true;
      },
    );
  };

  test('the good file loads', () => {
    assert.equal(loadDataset(base, dir).labelNames!.join(), 'neg,pos');
  });
  test('missing column', () => {
    expectError(
      { text: 'sentence' },
      { file: 'good.tsv', line: 1, column: 'sentence' },
      /header has: text, label/,
    );
  });
  test('row without the field', () => {
    write('short.tsv', 'text\tlabel\na\tpos\nb\n');
    expectError(
      { train: 'short.tsv' },
      { file: 'short.tsv', line: 3 },
      /1 field\(s\) but the header has 2/,
    );
  });
  test('unknown label against the given class list', () => {
    write('bad-label.tsv', 'text\tlabel\nx\tpos\ny\tposi\n');
    expectError(
      { labels: ['neg', 'pos', 'neutral'], validation: 'bad-label.tsv' },
      { file: 'bad-label.tsv', line: 3, column: 'label' },
      /unknown label 'posi'/,
    );
  });
  test('label of a validation file missing from train', () => {
    write('bad-label.tsv', 'text\tlabel\nx\tpos\ny\tposi\n');
    expectError(
      { validation: 'bad-label.tsv' },
      { file: 'bad-label.tsv', line: 3, column: 'label' },
      /does not occur in the training file/,
    );
  });
  test('class absent from train', () => {
    expectError(
      { labels: ['neg', 'pos', 'neutral'] },
      { file: 'good.tsv', column: 'label' },
      /'neutral' absent from the training split/,
    );
  });
  test('empty split', () => {
    write('header-only.tsv', 'text\tlabel\n');
    expectError({ test: 'header-only.tsv' }, { file: 'header-only.tsv' }, /no data rows/);
    write('two.tsv', 'text\tlabel\na\tpos\nb\tneg\n');
    expectError(
      { train: 'two.tsv', validationFraction: 0.1 },
      { file: 'two.tsv' },
      /validation split is empty .*carved/,
    );
  });
  test('non-numeric regression score', () => {
    write('scores.tsv', 'text\tscore\na\t1.5\nb\tabc\n');
    expectError(
      { train: 'scores.tsv', label: 'score', task: 'regression' },
      { file: 'scores.tsv', line: 3, column: 'score' },
      /'abc' is not a number/,
    );
  });
  test('empty label', () => {
    write('empty-label.tsv', 'text\tlabel\na\tpos\nb\t\n');
    expectError(
      { train: 'empty-label.tsv' },
      { file: 'empty-label.tsv', line: 3, column: 'label' },
      /empty label/,
    );
  });
  test('invalid JSONL line and missing key', () => {
    write('bad.jsonl', '{"text": "a", "label": "pos"}\n{"text": "b", "label": \n');
    expectError({ train: 'bad.jsonl' }, { file: 'bad.jsonl', line: 2 }, /invalid JSON/);
    write('nokey.jsonl', '{"text": "a", "label": "pos"}\n\n{"sentence": "b", "label": "neg"}\n');
    expectError(
      { train: 'nokey.jsonl' },
      { file: 'nokey.jsonl', line: 3, column: 'text' },
      /missing text field/,
    );
  });
  test('malformed CSV', () => {
    write('bad.csv', 'text,label\n"unterminated,pos\n');
    assert.throws(
      () => loadDataset({ ...base, train: 'bad.csv' }, dir),
      (e: DataError) => e.file.endsWith('bad.csv') && /malformed CSV/.test(e.message),
    );
  });
  test('unknown extension and missing file', () => {
    write('data.xls', 'x');
    expectError({ train: 'data.xls' }, { file: 'data.xls' }, /unknown file format/);
    expectError({ train: 'nope.tsv' }, { file: 'nope.tsv' }, /cannot read the file \(ENOENT\)/);
  });
  // Bug caught: a training row with an extra tab silently adds a class made of text.
  test('a stray tab inside a training row is an error at its line', () => {
    write('tab.tsv', 'text\tlabel\na\tpos\nb\tneg\nit is\tdarned good\tpos\nd\tneg\n');
    expectError({ train: 'tab.tsv' }, { file: 'tab.tsv', line: 4 }, /3 field\(s\).*stray tab/);
  });
  // Bug caught: a header-only train file blamed on the dev file (its labels "unknown").
  test('a header-only training file is blamed, not the validation file', () => {
    write('head.tsv', 'text\tlabel\n');
    expectError(
      { train: 'head.tsv', validation: 'good.tsv' },
      { file: 'head.tsv' },
      /header line but no data rows/,
    );
  });
  // Bug caught: one class reaching TF.js ("oneHot: depth must be >=2").
  test('a single-class training file is refused with the column named', () => {
    write('one.tsv', 'text\tlabel\na\tpos\nb\tpos\nc\tpos\nd\tpos\ne\tpos\n');
    expectError(
      { train: 'one.tsv' },
      { file: 'one.tsv', column: 'label' },
      /single class \('pos'\)/,
    );
  });
  // Bug caught: raw bytes of a binary file echoed into the message.
  test('a binary file is named as binary and its bytes are not echoed', () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff]);
    fs.writeFileSync(path.join(dir, 'zip.tsv'), bytes);
    expectError({ train: 'zip.tsv' }, { file: 'zip.tsv' }, /looks like a binary file/);
    assert.throws(
      () => loadDataset({ ...base, train: 'zip.tsv' }, dir),
      (e: Error) => !e.message.includes('PK') && !e.message.includes('\u001b'),
    );
  });
  // Bug caught: Latin-1 bytes loaded as U+FFFD without a word.
  test('bytes that are not UTF-8 give a warning naming the first line', () => {
    const latin1 = Buffer.concat([
      Buffer.from('text\tlabel\na\tpos\nb\tneg\n'),
      Buffer.from('caf\xe9\tpos\n', 'latin1'),
      Buffer.from('d\tneg\ne\tpos\nf\tneg\n'),
    ]);
    fs.writeFileSync(path.join(dir, 'latin1.tsv'), latin1);
    const ds = loadDataset({ ...base, train: 'latin1.tsv' }, dir);
    assert.deepEqual(
      ds.warnings.map((w) => [path.basename(w.file), w.line]),
      [['latin1.tsv', 4]],
    );
    assert.match(ds.warnings[0]!.message, /not valid UTF-8: 1 line/);
  });
  // Bug caught: ANSI escapes reaching the terminal; NEL deleted so that two words glue together.
  test('control characters are dropped with a warning, separators become spaces', () => {
    write(
      'ctl.tsv',
      'text\tlabel\nred \u001b[31mflag\tpos\nb\tneg\nnext\u0085line\tpos\nd\tneg\ne\tpos\n',
    );
    const ds = loadDataset(
      { ...base, train: 'ctl.tsv', validation: 'good.tsv', test: 'good.tsv' },
      dir,
    );
    const texts = [...ds.train, ...ds.validation, ...ds.test].map((e) => e.text);
    assert.ok(texts.includes('red [31mflag'), texts.join('|'));
    assert.ok(texts.includes('next line'), texts.join('|'));
    assert.deepEqual(
      ds.warnings.map((w) => [path.basename(w.file), w.line, /dropped 1 control/.test(w.message)]),
      [['ctl.tsv', 2, true]],
    );
  });
  // Bug caught: a label quoting an escape sequence printed raw in the error message.
  test('messages quoting data show control characters as escapes', () => {
    write('esc-header.tsv', 'text\tlab\u001b[2Jel\nx\tpos\ny\tneg\n');
    assert.throws(
      () => loadDataset({ ...base, validation: 'esc-header.tsv' }, dir),
      (e: Error) =>
        e.message.includes('header has: text, lab\\u001b[2Jel') &&
        printable(e.message) === e.message,
    );
  });
});
