/**
 * Claim (2) of the paper: hyperparameters ranked on the lightweight proxy
 * (frozen layers or small-rank LoRA) rank the same way on the full model. Every
 * stage-1 trial of one run is trained again with the full model (nothing frozen,
 * no LoRA) and the same hyperparameters; the objective is the same (best
 * validation metric along the trajectory). Reported: Spearman's ρ of proxy vs
 * full objectives. Resumable: each finished full trial is saved at once.
 */
import * as fs from 'node:fs';
import { loadTfLab } from '../../src/engine/lab/tf-lab';
import { trialHyperparameters } from '../../src/engine/pipeline/search-stage';
import { foldReport } from '../../src/engine/report/fold';
import { openRunFolder } from '../../src/engine/store/run-folder';
import { writeFileAtomic } from '../../src/train/atomic-write';
import { spearman } from '../../src/train/metrics';
import { runEvents } from './cell-data';

export interface TransferTrial {
  trial: number;
  params: Record<string, number>;
  proxy: number;
  full: number;
  seconds: number;
}

export interface TransferResult {
  task: string;
  seed: number;
  metric: string;
  proxy: { freeze?: number; lora?: number };
  trials: TransferTrial[];
  /** Spearman's ρ of proxy vs full objectives (NaN with fewer than 3 trials or constant values). */
  spearman: number;
  /** Whether the proxy's best trial is also the full model's best. */
  sameBest: boolean;
  /** Trials of the run not yet trained on the full model (the study was cut short). */
  pending: number;
}

/** ρ and the best-trial agreement of a set of (proxy, full) pairs. */
export function summarizeTransfer(trials: readonly TransferTrial[]): {
  spearman: number;
  sameBest: boolean;
} {
  if (trials.length === 0) return { spearman: Number.NaN, sameBest: false };
  const argmax = (f: (t: TransferTrial) => number) =>
    trials.reduce((best, t) => (f(t) > f(best) ? t : best)).trial;
  return {
    spearman:
      trials.length >= 3
        ? spearman(
            trials.map((t) => t.proxy),
            trials.map((t) => t.full),
          )
        : Number.NaN,
    sameBest: argmax((t) => t.proxy) === argmax((t) => t.full),
  };
}

/** Trains the run's stage-1 trials on the full model, continuing from `stateFile`. */
export async function computeTransfer(
  cell: { task: string; seed: number },
  runDir: string,
  stateFile: string,
  signal?: AbortSignal,
  onLog?: (line: string) => void,
): Promise<TransferResult> {
  const config = openRunFolder(runDir).config;
  const report = foldReport(runEvents(runDir));
  const trials = report.search.trials.filter((t) => t.status === 'done');
  const done: TransferTrial[] = fs.existsSync(stateFile)
    ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as TransferTrial[])
    : [];
  const todo = trials.filter((t) => !done.some((d) => d.trial === t.trial));
  if (todo.length > 0) {
    const lab = await loadTfLab(config);
    const noop = { onProgress: () => {}, onEval: () => {} };
    try {
      for (const t of todo) {
        if (signal?.aborted) break;
        const t0 = Date.now();
        const full = await lab.runTrial(
          trialHyperparameters(config, t.params),
          { freeze: 0 },
          noop,
          signal ?? new AbortController().signal,
        );
        done.push({
          trial: t.trial,
          params: t.params,
          proxy: t.objective!,
          full: full.objective,
          seconds: (Date.now() - t0) / 1000,
        });
        writeFileAtomic(stateFile, JSON.stringify(done));
        onLog?.(
          `transfer: trial ${t.trial} proxy ${t.objective!.toFixed(4)} full ${full.objective.toFixed(4)}`,
        );
      }
    } finally {
      lab.dispose();
    }
  }
  done.sort((a, b) => a.trial - b.trial);
  return {
    ...cell,
    metric: config.data.metrics[0]!,
    proxy: config.search.proxy,
    trials: done,
    ...summarizeTransfer(done),
    pending: trials.length - done.length,
  };
}
