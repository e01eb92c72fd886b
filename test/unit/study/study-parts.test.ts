// The study's small pieces: config errors, config merging, paired statistics,
// hypervolume curves, landscape grid helpers, transfer summary.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { deepMerge } from '../../../bench/study/cells';
import { loadStudyConfig } from '../../../bench/study/config';
import { majorityClass } from '../../../bench/study/context/majority';
import { bestGridPoint, gridAxis } from '../../../bench/study/landscape';
import { transferSentence } from '../../../bench/study/markdown-experiments';
import { type CellResult, hypervolumeCurve } from '../../../bench/study/results';
import {
  meanCurve,
  meanStd,
  pairedComparison,
  significanceCount,
} from '../../../bench/study/stats';
import { summarizeTransfer } from '../../../bench/study/transfer';
import type { Dataset } from '../../../src/train/data';

const root = path.resolve(__dirname, '../../..');

function studyFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-study-cfg-'));
  const file = path.join(dir, 'x.study.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const TASK = `tasks:\n  - { name: sst2, config: ${path.join(root, 'examples/sst2.bomf.yaml')} }\n`;

test('study config errors name the file and the field', () => {
  const cases: [string, RegExp][] = [
    [`name: x\nseeds: []\n${TASK}`, /x\.study\.yaml: seeds: expected a non-empty list/],
    [`name: x\nseeds: [0]\nmethods: [bomf, soup]\n${TASK}`, /methods\[1\]: unknown method 'soup'/],
    [`name: x\nseeds: [0]\nmethods: [swa]\n${TASK}`, /methods: expected a list that includes bomf/],
    [
      `name: x\nseeds: [0]\ntasks:\n  - { name: a, config: nope.yaml }\n`,
      /tasks\[0\]\.config: .*nope\.yaml does not exist/,
    ],
    [
      `name: x\nseeds: [0]\n${TASK}landscape: { task: rte, seed: 0 }\n`,
      /landscape\.task: 'rte' is not a study task/,
    ],
    [
      `name: x\nseeds: [0]\n${TASK}transfer: { task: sst2, seed: 4 }\n`,
      /transfer\.seed: 4 is not a study seed/,
    ],
    [
      `name: x\nseeds: [0]\nrules: [one-se, best]\n${TASK}`,
      /rules\[1\]: unknown selection rule 'best'/,
    ],
    [
      `name: x\nseeds: [0]\n${TASK}landscape: { task: sst2, seed: 0, grid: 1 }\n`,
      /landscape\.grid: expected an integer in \[2, 41\]/,
    ],
  ];
  for (const [text, message] of cases)
    assert.throws(() => loadStudyConfig(studyFile(text)), message);
  const ok = loadStudyConfig(studyFile(`name: x\nseeds: [0, 1, 2]\n${TASK}`));
  assert.deepEqual(ok.methods, [
    'bomf',
    'best-single',
    'last',
    'swa',
    'greedy-soup',
    'sobo-metric',
    'sobo-loss',
  ]);
  assert.equal(ok.model, 'embedded');
});

test('overrides merge recursively, replace lists, and null removes a key', () => {
  const base = {
    search: { budget: 12, parameters: { lr: { low: 1 }, batchSize: { low: 8 } } },
    data: { metrics: ['f1', 'accuracy'] },
  };
  const merged = deepMerge(base, {
    search: { budget: 3, parameters: { batchSize: null } },
    data: { metrics: ['accuracy'] },
  });
  assert.deepEqual(merged, {
    search: { budget: 3, parameters: { lr: { low: 1 } } },
    data: { metrics: ['accuracy'] },
  });
  assert.equal(base.search.budget, 12, 'the base is not modified');
});

function cell(seed: number, bomf: number, other: number): CellResult {
  const method = (v: number) => ({
    weights: [1],
    validation: { loss: 0, metrics: {} },
    test: { loss: 0, metrics: { accuracy: v } },
  });
  return {
    task: 't',
    seed,
    status: 'done',
    checkpoints: 1,
    sizes: { train: 1, validation: 1, test: 1 },
    stageSeconds: {},
    methods: { bomf: method(bomf), swa: method(other) },
    significance: {},
    hypervolume: {},
    trials: [],
  };
}

test('paired comparison counts wins, ties (within 1e-4) and losses per seed', () => {
  const cells = [cell(0, 0.8, 0.7), cell(1, 0.75, 0.75), cell(2, 0.7, 0.72), cell(3, 0.9, 0.89995)];
  const p = pairedComparison(cells, 'swa', () => 'accuracy');
  assert.deepEqual([p.wins, p.ties, p.losses], [1, 2, 1]);
  assert.ok(Math.abs(p.meanDiff - (0.1 + 0 - 0.02 + 0.00005) / 4) < 1e-12);
  const missing = pairedComparison(cells, 'last', () => 'accuracy');
  assert.deepEqual([missing.wins, missing.ties, missing.losses], [0, 0, 0]);
});

test("paired comparison of another rule's choice uses that row, not bomf", () => {
  const c = cell(0, 0.8, 0.7);
  c.methods['bomf (one-se)'] = {
    ...c.methods.bomf!,
    test: { loss: 0, metrics: { accuracy: 0.6 } },
  };
  const p = pairedComparison([c], 'swa', () => 'accuracy', 'bomf (one-se)');
  assert.deepEqual([p.wins, p.ties, p.losses], [0, 0, 1]);
});

test('significance counts: interval above 0 a win, below 0 a loss, identical and noise apart', () => {
  const verdicts = ['bomf-better', 'baseline-better', 'noise', 'identical', 'noise'] as const;
  const cells = verdicts.map((verdict, seed) => {
    const c = cell(seed, 0.8, 0.7);
    c.significance = {
      bomf: [{ against: 'swa', verdict, difference: 0.1, low: -0.1, high: 0.2 }],
      // Another choice's verdicts must not leak into bomf's counts.
      'bomf (one-se)': [{ against: 'swa', verdict: 'bomf-better', difference: 0, low: 0, high: 0 }],
    };
    return c;
  });
  cells.push(cell(9, 0.8, 0.7)); // no per-example results: not counted
  assert.deepEqual(significanceCount(cells, 'bomf', 'swa'), {
    wins: 1,
    losses: 1,
    noise: 2,
    identical: 1,
    n: 5,
  });
  assert.equal(significanceCount(cells, 'bomf (one-se)', 'swa').wins, 5);
  assert.equal(significanceCount(cells, 'bomf', 'last').n, 0);
});

test('the majority class comes from the training split and is scored on test', () => {
  const ex = (label: number) => ({ text: 'x', label });
  const data = {
    task: 'classification',
    labelNames: ['no', 'yes'],
    train: [ex(1), ex(1), ex(0)],
    validation: [],
    test: [ex(1), ex(0), ex(0), ex(0)],
  } as unknown as Dataset;
  const m = majorityClass(data, ['accuracy', 'f1', 'mcc'])!;
  // Predicting 1 everywhere: 1 of 4 right; F1 of class 1 = 2·(1/4)·1 / (1/4 + 1) = 0.4.
  assert.equal(m.accuracy, 0.25);
  assert.ok(Math.abs(m.f1! - 0.4) < 1e-12);
  assert.equal(m.mcc, 0);
  // A tie goes to the smaller label id, whatever the order of the file.
  const tied = { ...data, train: [ex(1), ex(0)] } as Dataset;
  assert.equal(majorityClass(tied, ['accuracy'])!.accuracy, 0.75);
  assert.equal(majorityClass({ ...data, task: 'regression' } as Dataset, ['pearson']), undefined);
});

test('mean and sample standard deviation; mean curve over unequal lengths', () => {
  const s = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  assert.ok(Math.abs(s.std - Math.sqrt(32 / 7)) < 1e-12);
  assert.ok(Number.isNaN(meanStd([3]).std));
  assert.deepEqual(
    meanCurve([
      [1, 2, 3],
      [3, 4],
    ]),
    [2, 3, 3],
  );
});

test('the hypervolume curve: the start points alone, then adding each evaluation', () => {
  const pts = [
    [0.5, 0.5],
    [1, 0.2],
    [0.4, 0.4],
    [0.2, 1],
  ];
  // Areas dominated above (0, 0), by hand: 0.25; + 0.5·0.2 = 0.35; unchanged; + 0.2·0.5 = 0.45.
  const curve = hypervolumeCurve(pts.slice(0, 1), pts.slice(1), [0, 0]);
  [0.25, 0.35, 0.35, 0.45].forEach((v, i) => {
    assert.ok(Math.abs(curve[i]! - v) < 1e-12, `${i}: ${curve[i]}`);
  });
});

test('landscape grid: axis ends included; best point skips NaN', () => {
  assert.deepEqual(gridAxis(5, [-0.5, 1.5]), [-0.5, 0, 0.5, 1, 1.5]);
  const axis = [0, 1];
  const values = [
    [Number.NaN, 3],
    [1, 2],
  ];
  assert.deepEqual(
    bestGridPoint(values, axis, (x, y) => x < y),
    { a: 1, b: 0 },
  );
  assert.deepEqual(
    bestGridPoint(values, axis, (x, y) => x > y),
    { a: 0, b: 1 },
  );
});

/** A transfer trial with its proxy and full-model objectives. */
const t = (trial: number, proxy: number, full: number) => ({
  trial,
  params: {},
  proxy,
  full,
  seconds: 0,
});

test('transfer summary: Spearman of proxy vs full and whether the best trial agrees', () => {
  const same = summarizeTransfer([t(0, 0.6, 0.7), t(1, 0.8, 0.9), t(2, 0.7, 0.75)]);
  assert.equal(same.spearman, 1);
  assert.equal(same.sameBest, true);
  const flipped = summarizeTransfer([t(0, 0.6, 0.9), t(1, 0.8, 0.7), t(2, 0.7, 0.8)]);
  assert.equal(flipped.spearman, -1);
  assert.equal(flipped.sameBest, false);
  assert.ok(Number.isNaN(summarizeTransfer([t(0, 1, 1), t(1, 2, 2)]).spearman));
});

test('the transfer sentence says when the proxy cannot rank the trials', () => {
  const base = { task: 'sst2', seed: 0, metric: 'accuracy', proxy: { freeze: 1 }, pending: 0 };
  const flat = [t(0, 0.595, 0.6), t(1, 0.595, 0.64), t(2, 0.595, 0.62)];
  assert.match(
    transferSentence({ ...base, trials: flat, ...summarizeTransfer(flat) }),
    /same objective \(59\.5\), so it cannot rank them \(ρ undefined\); .* 60\.0–64\.0/,
  );
  const ranked = [t(0, 0.6, 0.7), t(1, 0.8, 0.9), t(2, 0.7, 0.75)];
  assert.match(
    transferSentence({ ...base, trials: ranked, ...summarizeTransfer(ranked) }),
    /ρ .* = \*\*1\.000\*\*.*the proxy's best trial is the full model's best/,
  );
});
