/**
 * A finished cell's event log, dataset and base model, exactly as its run saw them (same
 * seed → same subsets and carve-outs), for the side experiments and the context row. Its
 * resolved config comes from openRunFolder, which gives older run folders today's shape.
 */
import * as fs from 'node:fs';
import type { BomfEvent } from '../../src/contract/events';
import { parseEventLog } from '../../src/contract/read-event-log';
import type { ResolvedConfig } from '../../src/engine/config';
import { resolveModelSource } from '../../src/engine/lab/model-source';
import { runPaths } from '../../src/engine/store/run-folder';
import { type Dataset, loadDataset } from '../../src/train/data';

/** The run's events, in the order it wrote them. */
export function runEvents(runDir: string): BomfEvent[] {
  return parseEventLog(fs.readFileSync(runPaths(runDir).events, 'utf8')).events;
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
