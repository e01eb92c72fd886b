/**
 * Is fine-tuning the embedded model worth it? On six tasks, for each seed, the same
 * training subset goes to (a) fine-tuning the shipped model (assets/models/bomf-tiny)
 * and (b) TF-IDF (word 1–2-grams) + logistic regression (ridge for STS-B) from
 * scikit-learn, Debian's python3-sklearn (bench/finetune-vs-tfidf.py), C chosen on
 * validation. Both are scored on the task's held-out file with the product's metric
 * code. (docs/study.md's context row, bench/study/context, is a TypeScript port of the same
 * baseline; the reference here is scikit-learn itself, as issue #16 asks — on TREC seed 0
 * both gave 0.854.) Results are recorded in docs/model-card.md.
 *
 * Knobs: FT_VS_TFIDF_MODELS (comma-separated model folders, default the shipped one),
 * FT_VS_TFIDF_TASKS (default all six), FT_VS_TFIDF_SEEDS (default 0,1,2), FT_VS_TFIDF_LR (the
 * fine-tuning learning rate, default 1e-3; a comma-separated grid picks one per seed on
 * validation),
 * FT_VS_TFIDF_EPOCHS (default 2, the main job's, for every task; `example`: each task's example
 * config's `hyperparameters.epochs`, what a user running that example fine-tunes for),
 * FT_VS_TFIDF_PAIR_ENCODING (auto, cross or bi; default auto, as the product's
 * model.pairEncoding: STS-B goes through the bi-encoder), FT_VS_TFIDF_DATA (default `study`:
 * the subsets and lengths in TASKS below; `example`: each example config's own `data.limit` and
 * `data.maxLength`, i.e. the whole training file for every task but SST-2, what a user running
 * that example trains on).
 *
 * Beside the final model, every fine-tuning also reports the uniform average of the checkpoints
 * it collected on the main job's schedule (train.checkpoints: 8 from half-way): stage 3's SWA
 * baseline, the cheapest fusion the product makes, with no choice on validation.
 * FT_VS_TFIDF_SOUP=N (default 1) fine-tunes N times per seed from the same start, each run
 * with its own data order and dropout, and also reports their uniform soup (the N final models
 * averaged).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CheckpointSet, swa } from '../src/fusion';
import { initBackend } from '../src/train/backend';
import { type DataSpec, type Dataset, loadDataset } from '../src/train/data';
import { evaluate } from '../src/train/evaluate';
import { fineTune } from '../src/train/loop/fine-tune';
import type { MetricName } from '../src/train/metrics';
import {
  labelRangeOf,
  loadPretrainedEncoder,
  type PairEncodingSetting,
  resolvePairEncoding,
} from '../src/train/model';
import { sklearnReference } from './sklearn-tfidf';

const ROOT = path.join(__dirname, '..');

/**
 * Each task's example config (its files, columns, metrics) with docs/study.md's subsets
 * and lengths (bench/study/glue.study.yaml: pairs cut to 64 tokens), except SST-2, which
 * is exactly the main job's subset (examples/sst2-quick.bomf.yaml: 3,000 sentences).
 */
export const TASKS: Record<
  string,
  { config: string; limit: DataSpec['limit']; batchSize: number; maxLength: number }
> = {
  'SST-2': {
    config: 'sst2-quick',
    limit: { train: 3000, validation: 400 },
    batchSize: 32,
    maxLength: 64,
  },
  RTE: { config: 'rte', limit: { train: 600, validation: 100 }, batchSize: 16, maxLength: 64 },
  MRPC: { config: 'mrpc', limit: { train: 600, validation: 100 }, batchSize: 16, maxLength: 64 },
  CoLA: { config: 'cola', limit: { train: 1000, validation: 200 }, batchSize: 32, maxLength: 64 },
  'STS-B': { config: 'stsb', limit: { train: 600, validation: 100 }, batchSize: 16, maxLength: 64 },
  TREC: { config: 'trec', limit: { train: 1000, validation: 200 }, batchSize: 32, maxLength: 48 },
};
/** The main job's collection of fusion members (examples/sst2-quick.bomf.yaml, `train.checkpoints`). */
const TAIL_CHECKPOINTS = { count: 8, start: 0.5 };
/** Fine-tuning recipe (one for all tasks: defaults, not a tuned grid); epochs per task below. */
export const FINE_TUNE = {
  warmupRatio: 0.1,
  schedule: 'linear' as const,
};
/**
 * Fine-tuning rates: with several, each seed fine-tunes at every one and keeps the one whose
 * final model scores best on validation, as the baseline keeps its C.
 */
const LEARNING_RATES = listFromEnv('FT_VS_TFIDF_LR', ['1e-3']).map(Number);
if (!LEARNING_RATES.every((lr) => lr > 0))
  throw new Error(`FT_VS_TFIDF_LR must be positive rates, got '${process.env.FT_VS_TFIDF_LR}'`);
/** `example`, or one epoch count for every task (default the main job's 2). */
const EPOCHS_SETTING = process.env.FT_VS_TFIDF_EPOCHS ?? '2';
if (EPOCHS_SETTING !== 'example' && !(Number(EPOCHS_SETTING) > 0))
  throw new Error(
    `FT_VS_TFIDF_EPOCHS must be a positive number or 'example', got '${EPOCHS_SETTING}'`,
  );
/** Fine-tunings per seed averaged into a uniform soup (1: none). */
const SOUP_RUNS = Number(process.env.FT_VS_TFIDF_SOUP ?? 1);
if (!(Number.isInteger(SOUP_RUNS) && SOUP_RUNS >= 1))
  throw new Error(
    `FT_VS_TFIDF_SOUP must be a positive integer, got '${process.env.FT_VS_TFIDF_SOUP}'`,
  );
/** Run r of a soup fine-tunes with seed + r × this, so run 0 is the bench's usual run. */
const SOUP_SEED_STRIDE = 1000;
/** `study` (TASKS' subsets and lengths) or `example` (each example config's). */
const DATA_SETTING = process.env.FT_VS_TFIDF_DATA ?? 'study';
if (DATA_SETTING !== 'study' && DATA_SETTING !== 'example')
  throw new Error(`FT_VS_TFIDF_DATA must be 'study' or 'example', got '${DATA_SETTING}'`);

export interface TaskSetup {
  spec: DataSpec;
  metrics: MetricName[];
  maxLength: number;
  epochs: number;
}

export function taskSetup(name: string, seed: number): TaskSetup {
  const t = TASKS[name]!;
  const file = path.join(ROOT, 'examples', `${t.config}.bomf.yaml`);
  const config = parse(readFileSync(file, 'utf8')) as {
    data: Record<string, unknown>;
    hyperparameters?: { epochs?: number };
  };
  const { metrics, maxLength, limit, ...spec } = config.data;
  const example = DATA_SETTING === 'example';
  if (example && typeof maxLength !== 'number')
    throw new Error(`${file}: no data.maxLength, which FT_VS_TFIDF_DATA=example reads`);
  const exampleEpochs = config.hyperparameters?.epochs;
  if (EPOCHS_SETTING === 'example' && exampleEpochs === undefined)
    throw new Error(`${file}: no hyperparameters.epochs, which FT_VS_TFIDF_EPOCHS=example reads`);
  return {
    spec: {
      ...(spec as Omit<DataSpec, 'task'>),
      task: (spec.task as DataSpec['task']) ?? 'classification',
      limit: example ? (limit as DataSpec['limit']) : t.limit,
      seed,
    },
    metrics: metrics as MetricName[],
    maxLength: example ? (maxLength as number) : t.maxLength,
    epochs: EPOCHS_SETTING === 'example' ? exampleEpochs! : Number(EPOCHS_SETTING),
  };
}

type FineTuned = Awaited<ReturnType<typeof fineTuned>>;

async function fineTuned(
  modelDir: string,
  data: Dataset,
  s: TaskSetup,
  batchSize: number,
  seed: number,
  learningRate: number,
  scratch: string,
) {
  const numLabels = data.labelNames?.length ?? 1;
  const setting = (process.env.FT_VS_TFIDF_PAIR_ENCODING ?? 'auto') as PairEncodingSetting;
  const hasPairs = data.train.some((e) => e.pair !== undefined);
  const pairEncoding = resolvePairEncoding(
    setting,
    data.task,
    hasPairs,
    'FT_VS_TFIDF_PAIR_ENCODING',
  );
  const labelRange =
    pairEncoding === 'bi' ? labelRangeOf(data.train.map((e) => e.label)) : undefined;
  const { model, tokenizer } = loadPretrainedEncoder(
    modelDir,
    { numLabels, pairEncoding, labelRange },
    seed,
  );
  const start = SOUP_RUNS > 1 ? model.getWeights() : undefined;
  const checkpointDirs: string[] = [];
  /** One fine-tuning from the model's current weights; its members are collected as the main job's. */
  const fineTuneOnce = async (runSeed: number) => {
    const dir = mkdtempSync(path.join(scratch, 'members-'));
    checkpointDirs.push(dir);
    const run = await fineTune({
      model,
      tokenizer,
      dataset: { task: data.task, train: data.train, validation: data.validation },
      hyperparameters: {
        ...FINE_TUNE,
        learningRate,
        epochs: s.epochs,
        batchSize,
        maxLength: s.maxLength,
      },
      metrics: s.metrics,
      seed: runSeed,
      checkpoints: { ...TAIL_CHECKPOINTS, dir },
    });
    return run.checkpoints;
  };
  const t0 = performance.now();
  const checkpoints = await fineTuneOnce(seed);
  const score = async (split: 'validation' | 'test') =>
    (
      await evaluate(model, tokenizer, data[split], {
        batchSize: 64,
        maxLength: s.maxLength,
        metrics: s.metrics,
        task: data.task,
      })
    ).metrics[s.metrics[0]!] as number;
  // The last member is collected at the final step, scored on validation as `score` would.
  const validation = checkpoints.at(-1)!.validation.metrics[s.metrics[0]!] as number;
  const test = await score('test');
  const members = new CheckpointSet(
    checkpoints.map((c) => c.file),
    Number.POSITIVE_INFINITY,
  );
  model.setWeights(members.mix(swa(checkpoints.length)), { strict: true });
  const average = { validation: await score('validation'), test: await score('test') };
  let soup: { validation: number; test: number } | undefined;
  if (start) {
    // Model soups' uniform soup (Wortsman et al. 2022): runs from the same start that differ
    // in data order and dropout only, their final weights averaged.
    const finals = [checkpoints.at(-1)!.file];
    for (let r = 1; r < SOUP_RUNS; r++) {
      model.setWeights(start, { strict: true });
      finals.push((await fineTuneOnce(seed + SOUP_SEED_STRIDE * r)).at(-1)!.file);
    }
    model.setWeights(new CheckpointSet(finals, Number.POSITIVE_INFINITY).mix(swa(finals.length)), {
      strict: true,
    });
    soup = { validation: await score('validation'), test: await score('test') };
  }
  model.dispose();
  for (const dir of checkpointDirs) rmSync(dir, { recursive: true, force: true });
  const seconds = (performance.now() - t0) / 1000;
  return { validation, test, average, soup, pairEncoding, learningRate, seconds };
}

function meanSd(xs: number[]): string {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

function listFromEnv(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.split(',').map((x) => x.trim());
}

export async function run(): Promise<void> {
  await initBackend('wasm');
  const models = listFromEnv('FT_VS_TFIDF_MODELS', ['assets/models/bomf-tiny']);
  const tasks = listFromEnv('FT_VS_TFIDF_TASKS', Object.keys(TASKS));
  const seeds = listFromEnv('FT_VS_TFIDF_SEEDS', ['0', '1', '2']).map(Number);
  const scratch = mkdtempSync(path.join(tmpdir(), 'bomf-ft-vs-tfidf-'));
  console.log(
    `fine-tuning: lr ${LEARNING_RATES.length > 1 ? `chosen on validation from ${LEARNING_RATES.join(', ')}` : LEARNING_RATES[0]}, ${EPOCHS_SETTING === 'example' ? "each task's example config's" : EPOCHS_SETTING} epochs, warm-up ${FINE_TUNE.warmupRatio} then linear decay, final model; ${DATA_SETTING === 'example' ? "each example config's data" : 'the study subsets'}; seeds ${seeds.join(', ')} (each seed draws the subsets and seeds the fine-tuning)\n`,
  );
  const table: string[] = [];
  try {
    for (const task of tasks) {
      const runs = seeds.map((seed) => ({ seed, setup: taskSetup(task, seed) }));
      const sklearn: number[] = [];
      const fineTunings = new Map(models.map((dir) => [dir, [] as FineTuned[]]));
      let version = '';
      for (const { seed, setup } of runs) {
        const data = loadDataset(setup.spec, path.join(ROOT, 'examples'));
        const ref = sklearnReference(data, setup.metrics[0]!, scratch);
        version = ref.version;
        sklearn.push(ref.test);
        const line = [
          `  ${task} seed ${seed} (train ${data.train.length}, test ${data.test.length}, ${setup.epochs} epochs):`,
        ];
        line.push(
          `TF-IDF sklearn ${ref.test.toFixed(3)} (C ${ref.c}, ${ref.seconds.toFixed(0)} s)`,
        );
        for (const dir of models) {
          const modelDir = path.resolve(ROOT, dir);
          const batch = TASKS[task]!.batchSize;
          const tries: FineTuned[] = [];
          for (const lr of LEARNING_RATES)
            tries.push(await fineTuned(modelDir, data, setup, batch, seed, lr, scratch));
          const ft = tries.reduce((a, b) => (b.validation > a.validation ? b : a));
          fineTunings.get(dir)!.push(ft);
          line.push(
            `${dir} (${ft.pairEncoding}, lr ${ft.learningRate}): validation ${ft.validation.toFixed(3)}, test ${ft.test.toFixed(3)}; ` +
              `tail average validation ${ft.average.validation.toFixed(3)}, test ${ft.average.test.toFixed(3)}` +
              (ft.soup
                ? `; soup of ${SOUP_RUNS} validation ${ft.soup.validation.toFixed(3)}, test ${ft.soup.test.toFixed(3)}`
                : '') +
              ` (${ft.seconds.toFixed(0)} s)`,
          );
        }
        console.log(line.join('; '));
      }
      const metric = runs[0]!.setup.metrics[0]!;
      for (const [dir, fts] of fineTunings) {
        const column = (pick: (ft: FineTuned) => number) => meanSd(fts.map(pick));
        table.push(
          `| ${task} | ${metric} | ${dir} | ${column((ft) => ft.validation)} | **${column((ft) => ft.test)}** | ${column((ft) => ft.average.validation)} | **${column((ft) => ft.average.test)}** | ${SOUP_RUNS > 1 ? `${column((ft) => ft.soup!.validation)} | **${column((ft) => ft.soup!.test)}** | ` : ''}**${meanSd(sklearn)}** | sklearn ${version} |`,
        );
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(
    '\n| task | metric (test) | fine-tuned model | final model, validation | final model, test, mean ± sd | tail average (SWA), validation | tail average, test, mean ± sd | ' +
      (SOUP_RUNS > 1 ? `soup of ${SOUP_RUNS}, validation | soup, test, mean ± sd | ` : '') +
      'TF-IDF + linear (scikit-learn), mean ± sd | reference |',
  );
  console.log(`|${' --- |'.repeat(SOUP_RUNS > 1 ? 11 : 9)}`);
  for (const row of table) console.log(row);
}
