/**
 * Does pre-training help? Fine-tunes the embedded model (assets/models/bomf-tiny) and the
 * same architecture from random initialisation — same tokenizer, hyperparameters, data
 * order and seed — on SST-2 and RTE (examples/data), and reports accuracy on the held-out
 * GLUE dev files. Results are recorded in docs/model-card.md.
 */
import * as path from 'node:path';
import { initBackend } from '../src/train/backend';
import { loadDataset } from '../src/train/data';
import { evaluate } from '../src/train/evaluate';
import { fineTune } from '../src/train/loop/fine-tune';
import type { Hyperparameters } from '../src/train/loop/types';
import { EncoderClassifier, loadPretrainedEncoder } from '../src/train/model';

const ROOT = path.join(__dirname, '..');
const MODEL_DIR = path.join(ROOT, 'assets/models/bomf-tiny');

export interface ArmResult {
  task: string;
  init: 'pretrained' | 'random';
  bestValidationAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

const TASKS = {
  'SST-2': {
    spec: {
      train: 'examples/data/sst2/train.tsv',
      test: 'examples/data/sst2/dev.tsv',
      text: 'sentence',
      label: 'label',
      task: 'classification' as const,
      limit: { train: 3000 },
    },
    hp: { learningRate: 5e-4, batchSize: 32, epochs: 3, warmupRatio: 0.1, schedule: 'linear' },
  },
  RTE: {
    spec: {
      train: 'examples/data/rte/train.tsv',
      test: 'examples/data/rte/dev.tsv',
      text: 'sentence1',
      textPair: 'sentence2',
      label: 'label',
      labels: ['entailment', 'not_entailment'],
      task: 'classification' as const,
    },
    hp: { learningRate: 5e-4, batchSize: 16, epochs: 3, warmupRatio: 0.1, schedule: 'linear' },
  },
} satisfies Record<string, { spec: object; hp: Hyperparameters }>;

export type TaskName = keyof typeof TASKS;

/** Fine-tunes one arm and scores it on the task's test file. */
export async function runArm(
  task: TaskName,
  init: 'pretrained' | 'random',
  seed = 0,
  modelDir = MODEL_DIR,
): Promise<ArmResult> {
  const t0 = performance.now();
  const { spec, hp } = TASKS[task];
  const data = loadDataset(spec, ROOT);
  const numLabels = data.labelNames?.length ?? 1;
  const loaded = loadPretrainedEncoder(modelDir, { numLabels }, seed);
  let model = loaded.model;
  if (init === 'random') {
    model.dispose();
    model = new EncoderClassifier(loaded.config, { numLabels }, seed);
  }
  const result = await fineTune({
    model,
    tokenizer: loaded.tokenizer,
    dataset: { task: 'classification', train: data.train, validation: data.validation },
    hyperparameters: hp,
    metrics: ['accuracy'],
    seed,
  });
  const test = await evaluate(model, loaded.tokenizer, data.test, {
    batchSize: 64,
    maxLength: 128,
    metrics: ['accuracy'],
    task: 'classification',
  });
  model.dispose();
  return {
    task,
    init,
    bestValidationAccuracy: result.best?.validation.metrics.accuracy ?? Number.NaN,
    testAccuracy: test.metrics.accuracy as number,
    seconds: (performance.now() - t0) / 1000,
  };
}

export async function run(): Promise<void> {
  await initBackend('wasm');
  console.log('| task | init | best validation accuracy | test (GLUE dev) accuracy | wall time |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const task of Object.keys(TASKS) as TaskName[]) {
    for (const init of ['random', 'pretrained'] as const) {
      const r = await runArm(task, init);
      console.log(
        `| ${r.task} | ${r.init} | ${r.bestValidationAccuracy.toFixed(3)} | ${r.testAccuracy.toFixed(3)} | ${r.seconds.toFixed(0)} s |`,
      );
    }
  }
}
