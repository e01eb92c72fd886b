// The example tasks' data in examples/data loads with the specs documented in its SOURCES.md.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { type DataSpec, loadDataset } from '../../../src/train/data';

const dir = path.resolve(__dirname, '..', '..', '..', 'examples', 'data');
const tasks: [string, DataSpec, number[], string[] | null][] = [
  [
    'sst2',
    {
      train: 'sst2/train.tsv',
      test: 'sst2/dev.tsv',
      text: 'sentence',
      label: 'label',
      task: 'classification',
    },
    [10000, 872],
    ['0', '1'],
  ],
  [
    'rte',
    {
      train: 'rte/train.tsv',
      test: 'rte/dev.tsv',
      text: 'sentence1',
      textPair: 'sentence2',
      label: 'label',
      task: 'classification',
    },
    [2490, 277],
    ['entailment', 'not_entailment'],
  ],
  [
    'mrpc',
    {
      train: 'mrpc/train.tsv',
      test: 'mrpc/dev.tsv',
      text: '#1 String',
      textPair: '#2 String',
      label: 'Quality',
      task: 'classification',
    },
    [3668, 408],
    ['0', '1'],
  ],
  [
    'cola',
    {
      train: 'cola/train.tsv',
      test: 'cola/dev.tsv',
      header: false,
      text: 3,
      label: 1,
      task: 'classification',
    },
    [8551, 1043],
    ['0', '1'],
  ],
  [
    'stsb',
    {
      train: 'stsb/train.tsv',
      test: 'stsb/dev.tsv',
      text: 'sentence1',
      textPair: 'sentence2',
      label: 'score',
      task: 'regression',
    },
    [5749, 1500],
    null,
  ],
  [
    'trec',
    {
      train: 'trec/train.tsv',
      test: 'trec/test.tsv',
      text: 'question',
      label: 'label',
      task: 'classification',
    },
    [5452, 500],
    ['ABBR', 'DESC', 'ENTY', 'HUM', 'LOC', 'NUM'],
  ],
];

for (const [name, spec, [trainRows, testRows], labelNames] of tasks) {
  test(`${name} loads: train + carved validation = train file, dev/test file as test`, () => {
    const ds = loadDataset(spec, dir);
    assert.equal(ds.train.length + ds.validation.length, trainRows);
    assert.equal(ds.validation.length, Math.round(trainRows * 0.1));
    assert.equal(ds.test.length, testRows);
    assert.deepEqual(ds.labelNames, labelNames);
    assert.ok(
      ds.train.every(
        (e) => e.text.length > 0 && (spec.textPair === undefined || e.pair !== undefined),
      ),
    );
  });
}
