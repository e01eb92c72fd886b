/**
 * The splits a command trainer reads: the engine loads the config's data section
 * once (columns, labels, carving, limits, all checked with file-and-line errors)
 * and writes each split as JSON lines into the run folder, so every trainer sees
 * the same examples as the embedded one would, without reimplementing the
 * config's data options.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../train/atomic-write';
import { loadDataset } from '../../../train/data/dataset';
import type { ResolvedConfig } from '../../config';

/** What params.json says about the data. */
export interface TrainerData {
  /** Absolute paths of JSON-lines files of {text, pair?, label}; label is a class id or a score. */
  train: string;
  validation: string;
  test: string;
  task: 'classification' | 'regression';
  /** Class names by label id (classification). */
  labels: string[] | null;
  /** The config's metrics; the first is the objective. */
  metrics: string[];
  maxLength: number;
}

export function writeTrainerData(config: ResolvedConfig, dir: string): TrainerData {
  const data = loadDataset({ ...config.data, seed: config.seed }, config.baseDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = (split: 'train' | 'validation' | 'test') => {
    const out = path.join(dir, `${split}.jsonl`);
    const lines = data[split].map((e) =>
      JSON.stringify(e.pair === undefined ? { text: e.text, label: e.label } : e),
    );
    writeFileAtomic(out, `${lines.join('\n')}\n`);
    return out;
  };
  return {
    train: file('train'),
    validation: file('validation'),
    test: file('test'),
    task: data.task,
    labels: data.labelNames,
    metrics: [...config.data.metrics],
    maxLength: config.data.maxLength,
  };
}
