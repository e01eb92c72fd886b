/**
 * The reference of bench/finetune-vs-tfidf.bench.ts and bench/tfidf-on-run.ts: scikit-learn's
 * TF-IDF + linear model (bench/finetune-vs-tfidf.py, Debian's python3-sklearn on one BLAS
 * thread), scored with the product's own metric code.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../src/train/data';
import { computeMetrics, type MetricName } from '../src/train/metrics';

const PYTHON = '/usr/bin/python3';

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
