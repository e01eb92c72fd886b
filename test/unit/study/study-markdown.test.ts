// The study document's significance parts and rule rows, from hand-made results:
// which method is named as a significant winner, how cells are counted, how the
// intervals are written, and that the one-se row sits beside BOMF's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { studyMarkdown } from '../../../bench/study/markdown';
import {
  intervalText,
  significanceSection,
  significanceVerdict,
} from '../../../bench/study/markdown-significance';
import type {
  CellResult,
  Significance,
  StudyMethod,
  StudyResults,
} from '../../../bench/study/results';

const result = (accuracy: number) => ({
  weights: [1],
  validation: { loss: 0.5, metrics: { accuracy } },
  test: { loss: 0.5, metrics: { accuracy } },
});

const sig = (against: StudyMethod, verdict: Significance['verdict'], d: number): Significance => ({
  against,
  verdict,
  difference: d,
  low: d - 0.03,
  high: d + 0.03,
});

function cell(seed: number, swaVerdict: Significance['verdict']): CellResult {
  const swaDiff =
    swaVerdict === 'baseline-better' ? -0.05 : swaVerdict === 'bomf-better' ? 0.05 : 0;
  return {
    task: 'sst2',
    seed,
    status: 'done',
    rule: 'best-metric',
    checkpoints: 2,
    sizes: { train: 10, validation: 10, test: 10 },
    stageSeconds: { search: 60 },
    methods: {
      bomf: result(0.7),
      'bomf (one-se)': result(seed === 0 ? 0.7 : 0.72),
      swa: result(0.7 - swaDiff),
    },
    significance: {
      bomf: [sig('swa', swaVerdict, swaDiff)],
      'bomf (one-se)': [
        sig('bomf', seed === 0 ? 'identical' : 'noise', seed === 0 ? 0 : 0.02),
        sig('swa', 'noise', 0.02 + swaDiff),
      ],
    },
    hypervolume: {},
    trials: [],
    majority: { accuracy: 0.51 },
  };
}

function results(): StudyResults {
  return {
    resultsVersion: 2,
    name: 't',
    command: 'npm run study -- t.study.yaml',
    updated: '2026-12-06T12:00:00.000Z',
    model: { source: 'embedded', sha256: 'abc' },
    seeds: [0, 1, 2],
    methods: ['bomf', 'bomf (one-se)', 'swa'],
    tasks: [
      {
        name: 'sst2',
        metric: 'accuracy',
        metrics: ['accuracy'],
        kind: 'classification',
        objectives: ['loss', 'accuracy'],
        exampleConfig: 'x',
      },
    ],
    cells: [cell(0, 'baseline-better'), cell(1, 'noise'), cell(2, 'bomf-better')],
    published: { citation: 'c', scores: {} },
  };
}

test('the verdict names the cells where a baseline wins significantly and counts the rest as noise', () => {
  const lines = significanceVerdict(results());
  const bomf = lines.find((l) => l.startsWith('- **bomf (best-metric)**'))!;
  assert.match(
    bomf,
    /3 paired test comparisons: significantly better in 1, significantly worse in 1/,
  );
  assert.match(bomf, /Significant wins over it: swa \(sst2-s0\)\./);
  const oneSe = lines.find((l) => l.startsWith('- **bomf (one-se)**'))!;
  assert.match(oneSe, /No method beats it significantly/);
  const rules = lines.find((l) => l.startsWith('- bomf (one-se) against bomf (best-metric)'))!;
  assert.match(rules, /the same model in 1 of 3 cells; elsewhere higher on test in 2, lower in 0/);
});

test('the count table gives mean Δ then ↑ wins ~ noise ↓ losses per task', () => {
  const md = significanceSection(results()).join('\n');
  // BOMF − swa: −5, 0, +5 points → mean 0; one win, one noise, one loss.
  assert.match(md, /\| swa \| \+0\.0: ↑1 ~1 ↓1 \| \+0\.0: ↑1 ~1 ↓1 \|/);
  // one-se against best-metric: identical predictions in one cell are counted apart.
  assert.match(md, /\| bomf \(best-metric\) \| \+1\.3: ↑0 ~2 ↓0 =1 \|/);
  assert.match(
    md,
    /\| bomf \(best-metric\) − swa \| \*\*−5\.0 \[−8\.0, −2\.0\]\*\* \| \+0\.0 \[−3\.0, \+3\.0\] \|/,
  );
});

test('an interval is bold only when it excludes 0; identical predictions say so', () => {
  assert.equal(intervalText(sig('swa', 'noise', 0.01)), '+1.0 [−2.0, +4.0]');
  assert.equal(intervalText(sig('swa', 'bomf-better', 0.05)), '**+5.0 [+2.0, +8.0]**');
  assert.equal(intervalText(sig('swa', 'identical', 0)), '= (same predictions)');
});

test('the test table has the one-se row beside BOMF and the majority-class context row', () => {
  const md = studyMarkdown(results(), 'r.json', {}, undefined, 'It is noise.');
  assert.match(md, /\| \*\*bomf \(best-metric\)\*\* \| 70\.0 ± 0\.0 \|/);
  assert.match(md, /\| bomf \(one-se\) \| \*\*71\.3 ± 1\.2\*\* \|/);
  assert.match(md, /\| \*majority class \(context\)\* \| 51\.0 ± 0\.0 \|/);
  assert.match(
    md,
    /of 1 task\(s\): bomf \(best-metric\) on 1; bomf \(one-se\) on 1\./,
    'each choice is ranked against the baselines, not against the other rule',
  );
  assert.match(md, /## What the data says about BOMF at this scale\n\nIt is noise\./);
});
