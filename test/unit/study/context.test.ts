// The study's context row (TF-IDF + linear models) against scikit-learn
// (reference numbers: fixtures/tfidf_linear.py → fixtures/tfidf_linear.json).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fitLogistic, fitRidge } from '../../../bench/study/context/linear-model';
import { pairRow, TfidfVectorizer, terms } from '../../../bench/study/context/tfidf';
import { tfidfBaseline } from '../../../bench/study/context/tfidf-baseline';
import { readTable } from '../../../src/train/data';

const root = path.resolve(__dirname, '../../..');
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/tfidf_linear.json'), 'utf8'));

function column(file: string, name: string, n: number): string[] {
  const table = readTable(path.join(root, file), 'tsv', true);
  const j = table.header!.indexOf(name);
  return table.rows.slice(0, n).map((r) => String((r.fields as string[])[j]));
}

test('terms are lowercased word unigrams and bigrams of two or more characters', () => {
  assert.deepEqual(terms("It's a Fine, fine day"), [
    'it',
    'fine',
    'fine',
    'day',
    'it fine',
    'fine fine',
    'fine day',
  ]);
});

test('TF-IDF rows and logistic-regression probabilities match scikit-learn', () => {
  const sentences = column('examples/data/sst2/train.tsv', 'sentence', 260);
  const labels = column('examples/data/sst2/train.tsv', 'label', 260).map(Number);
  const vec = new TfidfVectorizer().fit(sentences.slice(0, 200));
  assert.equal(vec.size, ref.vocabularySize);
  const test = vec.transform(sentences.slice(200));
  assert.deepEqual(test[0]!.values.length, ref.firstTestRow.values.length);
  test[0]!.values.forEach((v, i) => {
    assert.ok(Math.abs(v - ref.firstTestRow.values[i]) < 1e-9, `value ${i}`);
  });
  const train = vec.transform(sentences.slice(0, 200));
  const model = fitLogistic(train, labels.slice(0, 200), 2, vec.size, ref.sst2.C);
  const logits = model.predict(test);
  logits.forEach((z, i) => {
    const p1 = 1 / (1 + Math.exp(z[0]! - z[1]!));
    assert.ok(Math.abs(p1 - ref.logisticProbabilities[i][1]) < 2e-4, `row ${i}: ${p1}`);
  });
});

test('ridge predictions match scikit-learn', () => {
  const sentences = column('examples/data/stsb/train.tsv', 'sentence1', 160);
  const scores = column('examples/data/stsb/train.tsv', 'score', 160).map(Number);
  const vec = new TfidfVectorizer().fit(sentences.slice(0, 120));
  const model = fitRidge(
    vec.transform(sentences.slice(0, 120)),
    scores.slice(0, 120),
    vec.size,
    0.5,
  );
  model.predict(vec.transform(sentences.slice(120))).forEach(([y], i) => {
    assert.ok(Math.abs(y! - ref.ridgePredictions[i]) < 1e-4, `row ${i}: ${y}`);
  });
});

test('a pair row puts the second sentence after the vocabulary and the cosine last', () => {
  const vec = new TfidfVectorizer().fit(['a cat sat', 'the dog ran', 'cat and dog']);
  const [a, b] = vec.transform(['cat sat', 'cat ran']);
  const row = pairRow(a!, b!, vec.size);
  assert.equal(row.indices[row.indices.length - 1], 2 * vec.size);
  assert.ok(row.indices.slice(a!.indices.length, -1).every((j) => j >= vec.size));
  const cos = row.values[row.values.length - 1]!;
  assert.ok(cos > 0 && cos < 1, `cosine ${cos}`);
});

test('the baseline learns a separable toy task and reports validation and test', () => {
  const ex = (text: string, label: number) => ({ text, label });
  const good = ['good fun', 'great good', 'fun great film', 'good film'];
  const bad = ['bad dull', 'awful bad', 'dull awful film', 'bad film'];
  const split = [...good.map((t) => ex(t, 1)), ...bad.map((t) => ex(t, 0))];
  const result = tfidfBaseline(
    {
      task: 'classification',
      labelNames: ['0', '1'],
      train: [...split, ...split],
      validation: split,
      test: [ex('good great', 1), ex('awful dull', 0)],
      origin: { validation: 'file', test: 'file' },
      files: {},
      warnings: [],
    },
    ['accuracy'],
  );
  assert.equal(result.test.metrics.accuracy, 1);
  assert.equal(result.model, 'tfidf-logistic');
  assert.ok(Number.isFinite(result.test.loss));
});
