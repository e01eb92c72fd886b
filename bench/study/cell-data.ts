/**
 * A finished cell's resolved config, dataset and base model, exactly as its run
 * saw them (same seed → same subsets and carve-outs), for the side experiments
 * and the context row.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { ResolvedConfig } from '../../src/engine/config';
import { resolveModelSource } from '../../src/engine/lab/model-source';
import { type Dataset, loadDataset } from '../../src/train/data';

export function readResolvedConfig(runDir: string): ResolvedConfig {
  return parse(
    fs.readFileSync(path.join(runDir, 'config.resolved.yaml'), 'utf8'),
  ) as ResolvedConfig;
}

/** The run's dataset (mirrors what the engine's lab loads). */
export function runDataset(config: ResolvedConfig): Dataset {
  const d = config.data;
  return loadDataset(
    {
      train: d.train,
      validation: d.validation,
      test: d.test,
      format: d.format,
      header: d.header,
      text: d.text,
      textPair: d.textPair,
      label: d.label,
      task: d.task,
      labels: d.labels,
      validationFraction: d.validationFraction,
      testFraction: d.testFraction,
      limit: d.limit,
      seed: config.seed,
    },
    config.baseDir,
  );
}

/** Folder of the run's base model. */
export function runModelDir(config: ResolvedConfig): string {
  return resolveModelSource(config.model.source, config.baseDir);
}
