// The study end to end on a tiny random encoder (real TF.js lab, wasm): one task,
// two seeds, tiny subsets and budgets; interrupted, resumed, rerun; results JSON →
// markdown (→ PNG figures when Chromium is installed).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { cellState, studyCells } from '../../../bench/study/cells';
import { loadStudyConfig, type StudyConfig } from '../../../bench/study/config';
import { chromiumAvailable } from '../../../bench/study/figures/render';
import { studyMarkdown } from '../../../bench/study/markdown';
import { studyFigures, writeStudyReport } from '../../../bench/study/report';
import { readResults, type StudyResults } from '../../../bench/study/results';
import { runStudy } from '../../../bench/study/runner';
import { createTfLab } from '../../../src/engine/lab/tf-lab';
import { initBackend } from '../../../src/train/backend';
import { runEvents } from '../../support/cli';
import { writeTinyEncoder } from '../../support/tiny-model';

const root = path.resolve(__dirname, '../../..');
const METHODS = [
  'bomf',
  'bomf (one-se)',
  'best-single',
  'last',
  'swa',
  'greedy-soup',
  'sobo-metric',
  'sobo-loss',
];
const FUSION_BUDGET = 5;
const TRIALS = 2;

let work: string;
let study: StudyConfig;

before(async () => {
  await initBackend('wasm');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-study-'));
  const model = writeTinyEncoder(path.join(work, 'model'), [
    path.join(root, 'examples/data/sst2/train.tsv'),
  ]);
  const file = path.join(work, 'smoke.study.yaml');
  fs.writeFileSync(
    file,
    `name: smoke
dir: study
results: out/smoke.results.json
doc: out/study.md
images: out/images
seeds: [0, 1]
rules: [one-se]
model: ${model}
overrides:
  model: { backend: wasm }
  data: { maxLength: 16 }
  hyperparameters: { epochs: 2, batchSize: 16 }
  search:
    budget: ${TRIALS}
    initial: 2
    parameters: { learningRate: { low: 3.0e-4, high: 3.0e-3, log: true }, batchSize: null }
  train: { checkpoints: { count: 3 } }
  fusion: { budget: ${FUSION_BUDGET} }
tasks:
  - name: sst2
    config: ${path.join(root, 'examples/sst2.bomf.yaml')}
    limit: { train: 128, validation: 32, test: 32 }
landscape: { task: sst2, seed: 0, grid: 3 }
transfer: { task: sst2, seed: 0 }
`,
  );
  study = loadStudyConfig(file);
});

describe('study smoke run', () => {
  let results: StudyResults;

  test('an interrupted study leaves partial results that say how to resume', async () => {
    const controller = new AbortController();
    const partial = await runStudy(study, {
      labFactory: createTfLab,
      signal: controller.signal,
      onLog: (line) => {
        if (line.startsWith('sst2-s1: train done')) controller.abort();
      },
    });
    const [s0, s1] = studyCells(study);
    assert.equal(cellState(s0!).status, 'done');
    assert.equal(cellState(s1!).status, 'stopped');
    assert.deepEqual(
      partial.cells.map((c) => [c.seed, c.status]),
      [
        [0, 'done'],
        [1, 'stopped'],
      ],
    );
    const md = studyMarkdown(readResults(study.results), 'smoke.results.json', {});
    assert.match(md, /1 of 2 cells .* are done/);
    assert.match(md, /Not done: sst2-s1/);
    assert.match(md, /npm run study -- /);
    // A study of the embedded model says so when the model that ships has changed since.
    const embedded = { ...partial, model: { ...partial.model, source: 'embedded' } };
    assert.match(
      studyMarkdown(embedded, 'x.json', {}, 'ffff0000ffff0000'),
      /not the bomf-tiny that ships now \(SHA-256 ffff0000ffff0000/,
    );
    assert.doesNotMatch(studyMarkdown(embedded, 'x.json', {}, partial.model.sha256), /ships now/);
  });

  test('running again resumes the interrupted cell in its run folder and finishes', async () => {
    const s1 = studyCells(study)[1]!;
    const runDir = cellState(s1).runDir!;
    results = await runStudy(study, { labFactory: createTfLab });
    assert.equal(cellState(s1).runDir, runDir, 'the same run folder');
    const starts = runEvents(runDir).filter((e) => e.type === 'run-start');
    assert.deepEqual(
      starts.map((e) => e.type === 'run-start' && e.resumed),
      [false, true],
    );
    assert.deepEqual(
      results.cells.map((c) => c.status),
      ['done', 'done'],
    );
  });

  test('every cell has every method on validation and test, HV curves, trials and the context row', () => {
    for (const cell of results.cells) {
      assert.deepEqual(Object.keys(cell.methods).sort(), [...METHODS].sort());
      for (const m of Object.values(cell.methods)) {
        assert.ok(Number.isFinite(m!.test!.loss) && m!.test!.metrics.accuracy! >= 0);
        assert.ok(Math.abs(m!.weights.reduce((a, b) => a + b, 0) - 1) < 1e-6);
      }
      assert.equal(cell.hypervolume.bomf!.length, FUSION_BUDGET + 1);
      assert.equal(cell.hypervolume['sobo-metric']!.length, FUSION_BUDGET + 1);
      // BOMF starts from the members and the baselines' weights; the single-objective
      // searches from the members alone.
      assert.ok(cell.hypervolume.bomf![0]! >= cell.hypervolume['sobo-loss']![0]!, 'start');
      const hv = cell.hypervolume.bomf!;
      assert.ok(
        hv.every((v, i) => i === 0 || v >= hv[i - 1]! - 1e-12),
        'HV never decreases',
      );
      assert.equal(cell.trials.length, TRIALS);
      assert.equal(cell.checkpoints, 3);
      assert.deepEqual(cell.sizes, { train: 128, validation: 32, test: 32 });
      assert.ok(cell.tfidf && cell.tfidf.test.metrics.accuracy! > 0);
      assert.ok(
        cell.majority!.accuracy! >= 0.5,
        'the majority class gets at least half of 2 classes',
      );
      // Both BOMF choices are compared on test with every other method (one-se with best-metric too).
      const baselines = METHODS.filter((m) => !m.startsWith('bomf'));
      assert.deepEqual(cell.significance.bomf!.map((s) => s.against).sort(), baselines.sort());
      const oneSe = cell.methods['bomf (one-se)']!;
      const vsBomf = cell.significance['bomf (one-se)']!;
      assert.deepEqual(vsBomf.map((s) => s.against).sort(), ['bomf', ...baselines].sort());
      // Same weights as the run's own choice: the same model, so the same test result.
      if (oneSe.weights.every((w, k) => Math.abs(w - cell.methods.bomf!.weights[k]!) < 1e-9)) {
        assert.deepEqual(oneSe.test, cell.methods.bomf!.test);
        assert.equal(vsBomf.find((s) => s.against === 'bomf')!.verdict, 'identical');
      }
    }
    const l = results.landscape!;
    assert.equal(l.loss.length, 3);
    assert.ok(l.loss.every((row) => row.length === 3 && row.every(Number.isFinite)));
    assert.deepEqual(l.axis, [-0.5, 0.5, 1.5]);
    const t = results.transfer!;
    assert.equal(t.trials.length, TRIALS);
    assert.equal(t.pending, 0);
    assert.ok(t.trials.every((x) => Number.isFinite(x.proxy) && Number.isFinite(x.full)));
  });

  test('a finished study is not rerun', async () => {
    const before = studyCells(study).map((c) => runEvents(cellState(c).runDir!).length);
    const again = await runStudy(study, { labFactory: createTfLab });
    const after = studyCells(study).map((c) => runEvents(cellState(c).runDir!).length);
    assert.deepEqual(after, before);
    assert.deepEqual(
      again.cells.map((c) => c.methods.bomf!.test),
      results.cells.map((c) => c.methods.bomf!.test),
    );
    assert.deepEqual(again.landscape!.loss, results.landscape!.loss);
  });

  test('the markdown and the figures come from the results', async () => {
    const figures = studyFigures(study, results);
    const hv = figures.hypervolume!.charts[0]!.data.datasets;
    assert.deepEqual(
      hv.map((d) => d.data.length),
      [FUSION_BUDGET + 1, FUSION_BUDGET + 1, FUSION_BUDGET + 1],
    );
    const heat = (
      figures.landscape!.charts[0]!.options!.plugins as { heatmap: { values: number[][] } }
    ).heatmap;
    assert.deepEqual(heat.values, results.landscape!.loss);
    assert.equal(figures.transfer!.charts[0]!.data.datasets[0]!.data.length, TRIALS);

    const png = chromiumAvailable();
    const doc = await writeStudyReport(study, results, { figures: png });
    const md = fs.readFileSync(doc, 'utf8');
    assert.match(md, /2 of 2 cells \(task × seed\) are done\./);
    assert.match(md, /\| method \| sst2 \(accuracy\) \|/);
    assert.match(md, /\| best-single \| \d+\/\d+\/\d+ \| \*\*\d+\/\d+\/\d+\*\* \|/);
    assert.match(md, /BERT-Tiny, published \(context\)\* \| 83\.2†/);
    assert.match(md, /Spearman/);
    if (png) {
      for (const name of ['hypervolume', 'landscape', 'proxy-vs-full']) {
        const file = path.join(study.images, `${name}.png`);
        const head = fs.readFileSync(file).subarray(0, 8);
        assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        assert.match(md, new RegExp(`\\(images/${name}\\.png\\)`));
      }
    }
  });
});
