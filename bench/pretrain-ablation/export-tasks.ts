/**
 * Exports the six tasks of `npm run bench -- finetune-vs-tfidf` for finetune.py: for each
 * task and seed the very subsets that bench draws (the seed draws them), tokenised by the
 * shipped model's own tokenizer at the bench's lengths, and the shipped weights (F16 read back
 * as float32, one file per tensor, under their Hugging Face names), so that fine-tuning recipes
 * can be compared on the shipped encoder in the faster PyTorch replay.
 *
 *   npx tsx bench/pretrain-ablation/export-tasks.ts <out dir> [model dir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset } from '../../src/train/data';
import { readModelWeights } from '../../src/train/model';
import { loadTokenizer } from '../../src/train/tokenizer';
import { TASKS, taskSetup } from '../finetune-vs-tfidf.bench';

const ROOT = join(__dirname, '..', '..');
const [out, modelArg] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: export-tasks.ts <out dir> [model dir]');
const modelDir = resolve(ROOT, modelArg ?? 'assets/models/bomf-tiny');
mkdirSync(join(out, 'weights'), { recursive: true });

const index: Record<string, { file: string; shape: number[] }> = {};
[...readModelWeights(modelDir)].forEach(([name, t], i) => {
  writeFileSync(join(out, 'weights', `${i}.f32`), Float32Array.from(t.data));
  index[name] = { file: `${i}.f32`, shape: t.shape };
});
writeFileSync(join(out, 'weights', 'index.json'), JSON.stringify(index, null, 1));

const tok = loadTokenizer(modelDir);
for (const [name, task] of Object.entries(TASKS))
  for (const seed of [0, 1, 2]) {
    const setup = taskSetup(name, seed);
    const d = loadDataset(setup.spec, join(ROOT, 'examples'));
    const encode = (xs: typeof d.train) =>
      xs.map((x) => {
        const e = tok.encode(x.text, x.pair, setup.maxLength);
        return [e.inputIds, e.tokenTypeIds, x.label];
      });
    writeFileSync(
      join(out, `${name}-${seed}.json`),
      JSON.stringify({
        task: d.task,
        classes: d.labelNames?.length ?? 1,
        metric: setup.metrics[0],
        batchSize: task.batchSize,
        train: encode(d.train),
        validation: encode(d.validation),
        test: encode(d.test),
      }),
    );
  }
console.log(
  `${Object.keys(index).length} tensors and ${Object.keys(TASKS).length} × 3 task files → ${out}`,
);
