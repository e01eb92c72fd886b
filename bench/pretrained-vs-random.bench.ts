/**
 * Does pre-training help? Fine-tunes the embedded model (assets/models/bomf-tiny) and the
 * same architecture from random initialisation — same tokenizer, hyperparameters, data
 * order and seed — on SST-2 and RTE (examples/data), and reports accuracy on the held-out
 * GLUE dev files. Each arm tries the same small grid of learning rates and keeps the one with
 * the best mean validation accuracy over the seeds (pre-trained and random weights favour
 * different rates); test accuracy is each run's final model, reported as mean ± sd.
 * Results are recorded in docs/model-card.md.
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

export const TASKS = {
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
  seed: number,
): Promise<ArmResult> {
  const t0 = performance.now();
  const { spec, hp } = TASKS[task];
  const data = loadDataset(spec, ROOT);
  const numLabels = data.labelNames?.length ?? 1;
  const loaded = loadPretrainedEncoder(MODEL_DIR, { numLabels }, seed);
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

/** Mean and sample standard deviation. */
function meanSd(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

/** Comma-separated list from an environment variable, or the default. */
function listFromEnv(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.split(',').map((x) => x.trim());
}

/**
 * Every (learning rate, seed) of one arm; the learning rate with the best mean validation
 * accuracy over the seeds is the arm's result, reported as mean ± sd of test accuracy.
 */
async function runGrid(task: TaskName, init: 'pretrained' | 'random', seeds: number[]) {
  let best: { lr: number; runs: ArmResult[]; validation: number } | undefined;
  for (const lr of LEARNING_RATES) {
    const runs: ArmResult[] = [];
    for (const seed of seeds) {
      const r = await runArm(task, init, lr, seed);
      console.log(
        `  ${task} ${init} lr ${lr} seed ${seed}: validation ${r.bestValidationAccuracy.toFixed(3)}, test ${r.testAccuracy.toFixed(3)} (${r.seconds.toFixed(0)} s)`,
      );
      runs.push(r);
    }
    const validation = meanSd(runs.map((r) => r.bestValidationAccuracy)).mean;
    if (best === undefined || validation > best.validation) best = { lr, runs, validation };
  }
  return best!;
}

/**
 * Environment knobs, so the arms can run as parallel processes on a multi-core machine:
 * PRETRAINED_VS_RANDOM_TASKS (default SST-2,RTE), PRETRAINED_VS_RANDOM_INITS (default
 * random,pretrained), PRETRAINED_VS_RANDOM_SEEDS (default 0,1,2).
 */
export async function run(): Promise<void> {
  await initBackend('wasm');
  const tasks = listFromEnv('PRETRAINED_VS_RANDOM_TASKS', Object.keys(TASKS)) as TaskName[];
  const inits = listFromEnv('PRETRAINED_VS_RANDOM_INITS', ['random', 'pretrained']) as (
    | 'random'
    | 'pretrained'
  )[];
  const seeds = listFromEnv('PRETRAINED_VS_RANDOM_SEEDS', ['0', '1', '2']).map(Number);
  console.log(
    `learning rates tried per arm: ${LEARNING_RATES.join(', ')}; seeds ${seeds.join(', ')}; the rate with the best mean validation accuracy is reported\n`,
  );
  const rows: string[] = [];
  for (const task of tasks)
    for (const init of inits) {
      const t0 = performance.now();
      const best = await runGrid(task, init, seeds);
      const test = meanSd(best.runs.map((r) => r.testAccuracy));
      const perSeed = best.runs.map((r) => r.testAccuracy.toFixed(3)).join(' / ');
      rows.push(
        `| ${task} | ${init} | ${best.lr} | ${best.validation.toFixed(3)} | **${test.mean.toFixed(3)}** ± ${test.sd.toFixed(3)} | ${perSeed} | ${((performance.now() - t0) / 1000).toFixed(0)} s |`,
      );
    }
  console.log(
    '\n| task | init | chosen lr | mean validation accuracy | test (GLUE dev) accuracy, mean ± sd | per seed | grid wall time |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}
