// The data summary: what a run records, prints and reports about the data it loaded.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { dataSummaryLines } from '../../../src/contract/data-summary';
import type { BomfEvent, DataSummaryEvent } from '../../../src/contract/events';
import { describeEvent } from '../../../src/engine/commands/event-printer';
import { foldReport } from '../../../src/engine/report/fold';
import { renderReportMarkdown } from '../../../src/engine/report/write-report';
import { loadDataset } from '../../../src/train/data';
import { summarizeDataset } from '../../../src/train/data/summary';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-summary-'));
const write = (name: string, rows: [string, string][]) =>
  fs.writeFileSync(
    path.join(dir, name),
    `text\tlabel\n${rows.map(([t, l]) => `${t}\t${l}\n`).join('')}`,
  );

// 20 texts of lengths 1..20 in train; classes 'a' ×17 and 'b' ×3.
const train: [string, string][] = Array.from({ length: 20 }, (_, i) => [
  'x'.repeat(i + 1),
  i < 17 ? 'a' : 'b',
]);
write('train.tsv', train);
write('dev.tsv', [
  ['dev one', 'a'],
  ['dev two', 'b'],
]);
const spec = {
  train: 'train.tsv',
  validation: 'dev.tsv',
  test: 'dev.tsv',
  text: 'text',
  label: 'label',
  task: 'classification' as const,
};

// Bugs caught: an off-by-one percentile, counts per class in the wrong id order, a carved split
// claiming a file.
test('rows, class counts in id order and nearest-rank length percentiles per split', () => {
  const s = summarizeDataset(loadDataset(spec, dir));
  assert.deepEqual(s.labels, ['a', 'b']);
  const [tr, va] = s.splits;
  assert.deepEqual(
    [tr!.split, tr!.rows, tr!.classCounts, tr!.textLength],
    ['train', 20, [17, 3], { p5: 1, p50: 10, p95: 19, max: 20 }],
  );
  assert.equal(tr!.file, path.join(dir, 'train.tsv'));
  assert.deepEqual([va!.rows, va!.classCounts, va!.file], [2, [1, 1], path.join(dir, 'dev.tsv')]);
  const carved = summarizeDataset(
    loadDataset({ ...spec, test: undefined, testFraction: 0.2 }, dir),
  );
  assert.equal(carved.splits[2]!.file, undefined);
  assert.equal(carved.splits[2]!.rows, 4);
});

// Bug caught: a class with three rows or a sentence for a label passing without a word.
test('warns about a class with a handful of rows and a label that reads like text', () => {
  write('texty.tsv', [
    ...train,
    ...Array.from({ length: 6 }, (_, i): [string, string] => [`t${i}`, 'and then it was good']),
  ]);
  const s = summarizeDataset(loadDataset({ ...spec, train: 'texty.tsv' }, dir));
  const file = path.join(dir, 'texty.tsv');
  assert.deepEqual(s.warnings, [
    `${file}: class 'and then it was good' reads like text, not a label: is the label column right?`,
    `${file}: class 'b' has only 3 training row(s)`,
  ]);
});

const event = (e: Omit<DataSummaryEvent, 'seq' | 'time'>): DataSummaryEvent => ({
  ...e,
  seq: 1,
  time: '2026-01-01T00:00:00Z',
});

test('the summary as lines: splits, at most 12 classes, lengths', () => {
  const labels = Array.from({ length: 14 }, (_, i) => `c${i}`);
  const lines = dataSummaryLines({
    labels,
    splits: [
      {
        split: 'train',
        rows: 140,
        file: '/d/train.tsv',
        classCounts: labels.map(() => 10),
        textLength: { p5: 3, p50: 40, p95: 90, max: 120 },
      },
      { split: 'validation', rows: 14, textLength: { p5: 3, p50: 40, p95: 90, max: 99 } },
    ],
  });
  assert.deepEqual(lines, [
    'train 140 rows (train.tsv) · validation 14 rows (carved from train)',
    `classes in train: ${labels
      .slice(0, 12)
      .map((l) => `${l} (10)`)
      .join(', ')}, … 2 more`,
    'text length in train: median 40 characters, 5–95% 3–90, max 120',
  ]);
});

// Bugs caught: an ANSI escape in a class name reaching the terminal; the fatal error printed
// by the event sink and again by the command.
test('the terminal shows the summary with escapes for control characters, a fatal error once', () => {
  const e = event({
    type: 'data-summary',
    task: 'classification',
    labels: ['ok', 'bad\u001b[2J'],
    splits: [
      {
        split: 'train',
        rows: 2,
        classCounts: [1, 1],
        textLength: { p5: 1, p50: 1, p95: 1, max: 1 },
      },
    ],
    warnings: ['/d/train.tsv:3: something'],
  });
  const text = describeEvent(e)!;
  assert.ok(text.includes('data: classes in train: ok (1), bad\\u001b[2J (1)'), text);
  assert.ok(!text.includes('\u001b'));
  assert.ok(text.endsWith('warning: /d/train.tsv:3: something'));
  const error = (fatal: boolean): BomfEvent => ({
    type: 'error',
    message: 'boom',
    fatal,
    seq: 2,
    time: '',
  });
  assert.equal(describeEvent(error(true)), undefined);
  assert.equal(describeEvent(error(false)), 'warning: boom');
});

// Bug caught: the summary recorded but missing from report.md/report.json.
test('report.json and report.md carry the latest data summary', () => {
  const summary = summarizeDataset(loadDataset(spec, dir));
  const report = foldReport([event({ type: 'data-summary', ...summary })]);
  assert.deepEqual(report.data, summary);
  const md = renderReportMarkdown(report, ['accuracy']);
  assert.ok(md.includes('## Data\n\n- train 20 rows (train.tsv)'), md);
  assert.ok(md.includes('- warning: '), md);
});
