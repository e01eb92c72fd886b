/**
 * Training-loop benchmark: wall time of one epoch on SST-2 (the 10k-sentence subset in
 * examples/data/sst2) with length-bucketed batches versus plain shuffled batches, both
 * padded per batch, in the same process; and the peak RSS of fine-tuning the
 * embedded-size encoder (2 layers, hidden 128, 2 heads, intermediate 512).
 */

import * as path from 'node:path';
import { initBackend } from '../src/train/backend';
import { loadDataset } from '../src/train/data';
import { planEpochBatches } from '../src/train/loop/batching';
import { encodeExamples, lengthsOf } from '../src/train/loop/encoding';
import { fineTune } from '../src/train/loop/fine-tune';
import { EncoderClassifier } from '../src/train/model';
import { trainWordPiece } from '../src/train/tokenizer';
import { bertTinyConfig } from './bert-tiny';

const BATCH = 32;
const MAX_LENGTH = 128;

export async function run(): Promise<void> {
  const backend = await initBackend('auto');
  const dataset = loadDataset(
    {
      train: 'examples/data/sst2/train.tsv',
      validation: 'examples/data/sst2/dev.tsv',
      text: 'sentence',
      label: 'label',
      task: 'classification',
    },
    path.join(__dirname, '..'),
  );
  const tokenizer = trainWordPiece(
    dataset.train.map((e) => e.text),
    { vocabSize: 4000 },
  );
  const config = bertTinyConfig(tokenizer.vocabSize, tokenizer.padId);
  const lengths = lengthsOf(encodeExamples(tokenizer, dataset.train, MAX_LENGTH));
  const rows: string[] = [];
  let baseline = 0;
  for (const bucketing of [false, true]) {
    const plan = planEpochBatches(lengths, {
      batchSize: BATCH,
      seed: 1,
      epoch: 0,
      bucket: bucketing,
    });
    const padded = plan.reduce((s, b) => s + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
    const model = new EncoderClassifier(config, { numLabels: 2 }, 1);
    const start = performance.now();
    const result = await fineTune({
      model,
      tokenizer,
      // A token validation set: evaluation is bucketed in both variants and not what is measured.
      dataset: { ...dataset, validation: dataset.validation.slice(0, 32) },
      hyperparameters: { learningRate: 1e-4, batchSize: BATCH, epochs: 1, maxLength: MAX_LENGTH },
      metrics: ['accuracy'],
      seed: 1,
      bucketing,
    });
    const seconds = (performance.now() - start) / 1000;
    if (!bucketing) baseline = seconds;
    const real = lengths.reduce((a, b) => a + b, 0);
    rows.push(
      `| ${bucketing ? 'length-bucketed' : 'shuffled (baseline)'} | ${result.steps} | ` +
        `${(padded / real).toFixed(2)} | ${seconds.toFixed(1)} | ${(real / seconds).toFixed(0)} | ` +
        `${(baseline / seconds).toFixed(2)}× |`,
    );
    model.dispose();
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    `backend ${backend.name}; SST-2 train subset: ${dataset.train.length} sentences, batch ${BATCH}, ` +
      `max length ${MAX_LENGTH}, dynamic padding in both rows\n`,
  );
  console.log('| batches | steps | padded/real tokens | epoch s | real tokens/s | speed-up |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(
    `\npeak RSS of the process (both epochs): ${peakMiB.toFixed(0)} MiB (target ≤ 1536 MiB)`,
  );
}
