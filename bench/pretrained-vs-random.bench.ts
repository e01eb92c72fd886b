/**
 * Does pre-training help? Fine-tunes the embedded model (assets/models/bomf-tiny) and the
 * same architecture from random initialisation — same tokenizer, hyperparameters, data
 * order and seed — on SST-2 and RTE (examples/data), and reports accuracy on the held-out
 * GLUE dev files. Each arm tries the same small grid of learning rates and keeps the one with
 * the best validation accuracy (pre-trained and random weights favour different rates);
 * test accuracy is that run's final model. Results are recorded in docs/model-card.md.
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

const LEARNING_RATES = [5e-4, 1e-3];

export interface ArmResult {
  task: string;
  init: 'pretrained' | 'random';
  learningRate: number;
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
    hp: { batchSize: 32, epochs: 3, warmupRatio: 0.1, schedule: 'linear' },
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
    hp: { batchSize: 16, epochs: 3, warmupRatio: 0.1, schedule: 'linear' },
  },
} satisfies Record<string, { spec: object; hp: Omit<Hyperparameters, 'learningRate'> }>;

export type TaskName = keyof typeof TASKS;

/** Fine-tunes one arm at one learning rate and scores it on the task's test file. */
export async function runArm(
  task: TaskName,
  init: 'pretrained' | 'random',
  learningRate: number,
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
    hyperparameters: { ...hp, learningRate },
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
    learningRate,
    bestValidationAccuracy: result.best?.validation.metrics.accuracy ?? Number.NaN,
    testAccuracy: test.metrics.accuracy as number,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The grid run of one arm whose best validation accuracy is highest. */
export async function bestOfGrid(
  task: TaskName,
  init: 'pretrained' | 'random',
  modelDir = MODEL_DIR,
): Promise<ArmResult> {
  let best: ArmResult | undefined;
  for (const lr of LEARNING_RATES) {
    const r = await runArm(task, init, lr, 0, modelDir);
    if (best === undefined || r.bestValidationAccuracy > best.bestValidationAccuracy) best = r;
  }
  return best as ArmResult;
}

export async function run(): Promise<void> {
  await initBackend('wasm');
  console.log(
    `learning rates tried per arm: ${LEARNING_RATES.join(', ')} (chosen by validation accuracy)\n`,
  );
  console.log(
    '| task | init | chosen lr | best validation accuracy | test (GLUE dev) accuracy | grid wall time |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const task of Object.keys(TASKS) as TaskName[]) {
    for (const init of ['random', 'pretrained'] as const) {
      const t0 = performance.now();
      const r = await bestOfGrid(task, init);
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `| ${r.task} | ${r.init} | ${r.learningRate} | ${r.bestValidationAccuracy.toFixed(3)} | ${r.testAccuracy.toFixed(3)} | ${seconds.toFixed(0)} s |`,
      );
    }
  }
}
