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
 * fine-tuning learning rate, default 1e-3; one rate per run, so a grid is several runs),
 * FT_VS_TFIDF_EPOCHS (default 2, the main job's, for every task; `example`: each task's example
 * config's `hyperparameters.epochs`, what a user running that example fine-tunes for),
 * FT_VS_TFIDF_PAIR_ENCODING (auto, cross or bi; default auto, as the product's
 * model.pairEncoding: STS-B goes through the bi-encoder).
 *
 * Beside the final model, every fine-tuning also reports the uniform average of the checkpoints
 * it collected on the main job's schedule (train.checkpoints: 8 from half-way): stage 3's SWA
 * baseline, the cheapest fusion the product makes, with no choice on validation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CheckpointSet, swa } from '../src/fusion';
import { initBackend } from '../src/train/backend';
import { type DataSpec, type Dataset, loadDataset } from '../src/train/data';
import { evaluate } from '../src/train/evaluate';
import { fineTune } from '../src/train/loop/fine-tune';
import { computeMetrics, type MetricName } from '../src/train/metrics';
import {
  labelRangeOf,
  loadPretrainedEncoder,
  type PairEncodingSetting,
  resolvePairEncoding,
} from '../src/train/model';

const ROOT = path.join(__dirname, '..');
const PYTHON = '/usr/bin/python3';

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
  learningRate: Number(process.env.FT_VS_TFIDF_LR ?? 1e-3),
  warmupRatio: 0.1,
  schedule: 'linear' as const,
};
/** `example`, or one epoch count for every task (default the main job's 2). */
const EPOCHS_SETTING = process.env.FT_VS_TFIDF_EPOCHS ?? '2';
if (EPOCHS_SETTING !== 'example' && !(Number(EPOCHS_SETTING) > 0))
  throw new Error(
    `FT_VS_TFIDF_EPOCHS must be a positive number or 'example', got '${EPOCHS_SETTING}'`,
  );

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
  const { metrics, maxLength: _, limit: __, ...spec } = config.data;
  const exampleEpochs = config.hyperparameters?.epochs;
  if (EPOCHS_SETTING === 'example' && exampleEpochs === undefined)
    throw new Error(`${file}: no hyperparameters.epochs, which FT_VS_TFIDF_EPOCHS=example reads`);
  return {
    spec: {
      ...(spec as Omit<DataSpec, 'task'>),
      task: (spec.task as DataSpec['task']) ?? 'classification',
      limit: t.limit,
      seed,
    },
    metrics: metrics as MetricName[],
    maxLength: t.maxLength,
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
  const checkpointDir = mkdtempSync(path.join(scratch, 'members-'));
  const t0 = performance.now();
  const { checkpoints } = await fineTune({
    model,
    tokenizer,
    dataset: { task: data.task, train: data.train, validation: data.validation },
    hyperparameters: { ...FINE_TUNE, epochs: s.epochs, batchSize, maxLength: s.maxLength },
    metrics: s.metrics,
    seed,
    checkpoints: { ...TAIL_CHECKPOINTS, dir: checkpointDir },
  });
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
  model.dispose();
  rmSync(checkpointDir, { recursive: true, force: true });
  return { validation, test, average, pairEncoding, seconds: (performance.now() - t0) / 1000 };
}

/** scikit-learn's TF-IDF + linear model, C chosen on validation by `primary`, scored on test. */
export function sklearnReference(data: Dataset, primary: MetricName, scratch: string) {
  const file = path.join(scratch, 'splits.json');
  const rows = (xs: Dataset['train']) => xs.map((e) => [e.text, e.pair ?? null, e.label]);
  writeFileSync(
    file,
    JSON.stringify({
      task: data.task,
      classes: data.labelNames?.length ?? 1,
      train: rows(data.train),
      validation: rows(data.validation),
      test: rows(data.test),
    }),
  );
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const t0 = performance.now();
  const r = spawnSync(PYTHON, [path.join(__dirname, 'finetune-vs-tfidf.py'), file], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`finetune-vs-tfidf.py failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as {
    sklearn: string;
    outputs: Record<'validation' | 'test', Record<string, number[][]>>;
  };
  const score = (split: 'validation' | 'test', c: string) =>
    computeMetrics(
      [primary],
      data.task,
      out.outputs[split][c]!,
      data[split].map((e) => e.label),
    )[primary] as number;
  const cs = Object.keys(out.outputs.validation);
  const best = cs.reduce((a, b) => (score('validation', b) > score('validation', a) ? b : a));
  return {
    c: best,
    test: score('test', best),
    version: out.sklearn,
    seconds: (performance.now() - t0) / 1000,
  };
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
    `fine-tuning: lr ${FINE_TUNE.learningRate}, ${EPOCHS_SETTING === 'example' ? "each task's example config's" : EPOCHS_SETTING} epochs, warm-up ${FINE_TUNE.warmupRatio} then linear decay, final model; seeds ${seeds.join(', ')} (each seed draws the subsets and seeds the fine-tuning)\n`,
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
          const ft = await fineTuned(
            path.resolve(ROOT, dir),
            data,
            setup,
            TASKS[task]!.batchSize,
            seed,
            scratch,
          );
          fineTunings.get(dir)!.push(ft);
          line.push(
            `${dir} (${ft.pairEncoding}): validation ${ft.validation.toFixed(3)}, test ${ft.test.toFixed(3)}; ` +
              `tail average validation ${ft.average.validation.toFixed(3)}, test ${ft.average.test.toFixed(3)} (${ft.seconds.toFixed(0)} s)`,
          );
        }
        console.log(line.join('; '));
      }
      const metric = runs[0]!.setup.metrics[0]!;
      for (const [dir, fts] of fineTunings) {
        const column = (pick: (ft: FineTuned) => number) => meanSd(fts.map(pick));
        table.push(
          `| ${task} | ${metric} | ${dir} | ${column((ft) => ft.validation)} | **${column((ft) => ft.test)}** | ${column((ft) => ft.average.validation)} | **${column((ft) => ft.average.test)}** | **${meanSd(sklearn)}** | sklearn ${version} |`,
        );
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(
    '\n| task | metric (test) | fine-tuned model | final model, validation | final model, test, mean ± sd | tail average (SWA), validation | tail average, test, mean ± sd | TF-IDF + linear (scikit-learn), mean ± sd | reference |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of table) console.log(row);
}
