/**
 * Pipeline benchmarks (issue: the BOMF pipeline).
 * 1. Fusion overhead: building one fused model (Σ w_k θ_k over K = 15 bert-tiny-size
 *    checkpoints, then loading it into the model) relative to one validation
 *    evaluation of 300 SST-2 sentences, measured in the same run. Target: well under 10%.
 * 2. Wall time of examples/sst2-quick.bomf.yaml by stage (target: under 10 minutes).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BomfEvent } from '../src/contract/events';
import { createTfLab } from '../src/engine/lab/tf-lab';
import { embeddedModelDir } from '../src/engine/package-root';
import { startRun } from '../src/engine/pipeline/run';
import { CheckpointSet, StackedCheckpoints } from '../src/fusion';
import { initBackend } from '../src/train/backend';
import { loadDataset } from '../src/train/data';
import { evaluate } from '../src/train/evaluate';
import { EncoderClassifier } from '../src/train/model';
import { writeSafetensors } from '../src/train/safetensors';
import { trainWordPiece } from '../src/train/tokenizer';
import { bertTinyConfig } from './bert-tiny';

const root = path.resolve(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

async function fusionOverhead(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-bench-fusion-'));
  const data = loadDataset(
    {
      train: 'train.tsv',
      test: 'dev.tsv',
      text: 'sentence',
      label: 'label',
      task: 'classification',
      limit: { validation: 300 },
    },
    path.join(root, 'examples', 'data', 'sst2'),
  );
  const tokenizer = trainWordPiece(
    data.train.map((e) => e.text),
    { vocabSize: 8000, lowercase: true },
  );
  const config = bertTinyConfig(tokenizer.vocabSize, tokenizer.padId, 128);
  const files: string[] = [];
  for (let k = 0; k < 15; k++) {
    const m = new EncoderClassifier(config, { numLabels: 2 }, k);
    files.push(path.join(dir, `ckpt-${k}.safetensors`));
    writeSafetensors(files.at(-1)!, m.getWeights());
    m.dispose();
  }
  const model = new EncoderClassifier(config, { numLabels: 2 }, 99);
  const weights = Array.from({ length: 15 }, (_, k) => (k + 1) / 120);
  const cached = new CheckpointSet(files, Number.POSITIVE_INFINITY);
  const streamed = new CheckpointSet(files, 0);
  cached.mix(weights); // warm the cache
  const stacked = new StackedCheckpoints(files.map((_, k) => cached.member(k)));
  const mixStacked: number[] = [];
  const mixCached: number[] = [];
  const mixStreamed: number[] = [];
  const evals: number[] = [];
  for (let i = 0; i < 7; i++) {
    mixStacked.push(time(() => stacked.mixInto(model.variables, weights))[1]);
    mixCached.push(time(() => model.setWeights(cached.mix(weights)))[1]);
    mixStreamed.push(time(() => model.setWeights(streamed.mix(weights)))[1]);
    const t0 = performance.now();
    await evaluate(model, tokenizer, data.validation, {
      batchSize: 64,
      maxLength: 64,
      metrics: ['accuracy'],
      task: 'classification',
    });
    evals.push(performance.now() - t0);
  }
  model.dispose();
  stacked.dispose();
  const e = median(evals);
  console.log(
    '| measurement (K = 15, bert-tiny size, 300 validation sentences) | median ms | relative to one evaluation |',
  );
  console.log('| --- | --- | --- |');
  console.log(`| one validation evaluation (baseline) | ${e.toFixed(1)} | 1 |`);
  const rows: [string, number[]][] = [
    ['build fused model on the backend, members stacked [K, size] (what stage 3 uses)', mixStacked],
    ['build fused model on the host, members cached in memory', mixCached],
    [
      'build fused model on the host, members streamed from disk (over the memory budget)',
      mixStreamed,
    ],
  ];
  for (const [label, ms] of rows)
    console.log(`| ${label} | ${median(ms).toFixed(1)} | ${(median(ms) / e).toFixed(3)} |`);
}

async function quickExample(): Promise<void> {
  if (!fs.existsSync(path.join(embeddedModelDir(), 'config.json'))) {
    console.log('\n(sst2-quick skipped: the embedded model is not in assets/ yet)');
    return;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-bench-quick-'));
  const events: BomfEvent[] = [];
  const t0 = performance.now();
  const outcome = await startRun(path.join(root, 'examples', 'sst2-quick.bomf.yaml'), {
    labFactory: createTfLab,
    outDir: out,
    onLog: (log) => log.onEvent((ev) => events.push(ev)),
  });
  const total = (performance.now() - t0) / 1000;
  console.log(`\n| examples/sst2-quick.bomf.yaml (${outcome.status}) | seconds | share |`);
  console.log('| --- | --- | --- |');
  for (const e of events) {
    if (e.type === 'stage-end')
      console.log(
        `| stage ${e.stage} | ${e.seconds.toFixed(1)} | ${((100 * e.seconds) / total).toFixed(0)}% |`,
      );
  }
  console.log(`| total (target < 600) | ${total.toFixed(1)} | 100% |`);
}

export async function run(): Promise<void> {
  const backend = await initBackend('auto');
  console.log(`backend: ${backend.name}\n`);
  await fusionOverhead();
  await quickExample();
}
