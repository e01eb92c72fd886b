/**
 * Claim (1) of the paper: the loss and metric landscapes of a fine-tuned model
 * disagree. Validation loss and metric over the plane through three checkpoints
 * θ0, θ1, θ2 of one run, θ(a, b) = θ0 + a(θ1 − θ0) + b(θ2 − θ0), on a grid of
 * (a, b) (affine coordinates: the checkpoints sit at (0,0), (1,0) and (0,1), and
 * the triangle a, b ≥ 0, a + b ≤ 1 is where fusion weights live).
 */
import * as path from 'node:path';
import { foldReport } from '../../src/engine/report/fold';
import { openRunFolder } from '../../src/engine/store/run-folder';
import { StackedCheckpoints } from '../../src/fusion';
import { initBackend } from '../../src/train/backend';
import { evaluate } from '../../src/train/evaluate';
import { spearman } from '../../src/train/metrics';
import { loadPretrainedEncoder } from '../../src/train/model/pretrained';
import { readSafetensors } from '../../src/train/safetensors';
import { runDataset, runEvents, runModelDir } from './cell-data';
import type { LandscapeSpec } from './config';

export interface LandscapeResult {
  task: string;
  seed: number;
  metric: string;
  /** Indices of the three checkpoints and their training steps. */
  checkpoints: { index: number; step: number }[];
  /** Grid coordinates along a and along b (same values). */
  axis: number[];
  /** [i][j] = value at (a = axis[i], b = axis[j]). */
  loss: number[][];
  metricValues: number[][];
  /** Spearman correlation of −loss and the metric over the grid (1 = the landscapes agree in rank). */
  rankAgreement: number;
  /** Grid points of the lowest loss and of the highest metric. */
  argminLoss: { a: number; b: number };
  argmaxMetric: { a: number; b: number };
  seconds: number;
}

/** The grid coordinates: `n` evenly spaced values over `range`, ends included. */
export function gridAxis(n: number, range: readonly [number, number]): number[] {
  return Array.from({ length: n }, (_, i) => range[0] + ((range[1] - range[0]) * i) / (n - 1));
}

/** Best grid point of `values` [i][j] (a = axis[i], b = axis[j]) under `better`. */
export function bestGridPoint(
  values: number[][],
  axis: number[],
  better: (x: number, y: number) => boolean,
): { a: number; b: number } {
  let best = { i: 0, j: 0 };
  values.forEach((row, i) => {
    row.forEach((v, j) => {
      const incumbent = values[best.i]![best.j]!;
      if (better(v, incumbent) || (Number.isNaN(incumbent) && !Number.isNaN(v))) best = { i, j };
    });
  });
  return { a: axis[best.i]!, b: axis[best.j]! };
}

/** Evaluates the plane for one finished run. */
export async function computeLandscape(
  spec: LandscapeSpec,
  runDir: string,
): Promise<LandscapeResult> {
  const t0 = Date.now();
  const config = openRunFolder(runDir).config;
  await initBackend(config.model.backend);
  const report = foldReport(runEvents(runDir));
  const members = report.train.checkpoints;
  const k = members.length;
  const picked = spec.checkpoints ?? [0, Math.floor((k - 1) / 2), k - 1];
  if (picked.some((i) => i >= k))
    throw new Error(`landscape.checkpoints ${picked.join(', ')}: the run has ${k} checkpoints`);
  const data = runDataset(config);
  const metric = config.data.metrics[0]!;
  const numLabels = data.task === 'regression' ? 1 : data.labelNames!.length;
  const { model, tokenizer } = loadPretrainedEncoder(
    runModelDir(config),
    // The head the run's checkpoints hold (config.resolved.yaml names the form).
    { numLabels, pairEncoding: config.model.pairEncoding },
    config.seed,
  );
  const stacked = new StackedCheckpoints(
    picked.map((i) => readSafetensors(path.join(runDir, members[i]!.file)).tensors),
  );
  const axis = gridAxis(spec.grid, spec.range);
  const loss: number[][] = [];
  const metricValues: number[][] = [];
  try {
    for (const a of axis) {
      const lossRow: number[] = [];
      const metricRow: number[] = [];
      for (const b of axis) {
        stacked.affineMixInto(model.variables, [1 - a - b, a, b]);
        const e = await evaluate(model, tokenizer, data.validation, {
          batchSize: 64,
          maxLength: config.data.maxLength,
          metrics: config.data.metrics,
          task: data.task,
        });
        lossRow.push(e.loss);
        metricRow.push(e.metrics[metric]!);
      }
      loss.push(lossRow);
      metricValues.push(metricRow);
    }
  } finally {
    stacked.dispose();
    model.dispose();
  }
  const flatLoss = loss.flat();
  const flatMetric = metricValues.flat();
  const finite = flatLoss
    .map((_, i) => i)
    .filter((i) => Number.isFinite(flatLoss[i]! + flatMetric[i]!));
  return {
    task: spec.task,
    seed: spec.seed,
    metric,
    checkpoints: picked.map((i) => ({ index: i, step: members[i]!.step })),
    axis,
    loss,
    metricValues,
    rankAgreement: spearman(
      finite.map((i) => -flatLoss[i]!),
      finite.map((i) => flatMetric[i]!),
    ),
    argminLoss: bestGridPoint(loss, axis, (x, y) => x < y),
    argmaxMetric: bestGridPoint(metricValues, axis, (x, y) => x > y),
    seconds: (Date.now() - t0) / 1000,
  };
}
