/**
 * TF-IDF + linear (scikit-learn, as in finetune-vs-tfidf) on exactly the data a finished run
 * trained and was tested on: the run's resolved config draws the same subsets, and the run's
 * own test results (the chosen fused model and each baseline, from events.jsonl) are printed
 * beside it. How docs/model-card.md compares a whole main job, not one fine-tune, with TF-IDF.
 * Usage: npx tsx bench/tfidf-on-run.ts RUN_DIR...
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseEventLog } from '../src/contract/read-event-log';
import { openRunFolder } from '../src/engine/store/run-folder';
import { loadDataset } from '../src/train/data';
import { sklearnReference } from './sklearn-tfidf';

function compare(runDir: string, scratch: string): void {
  const { paths, config } = openRunFolder(runDir);
  const primary = config.data.metrics[0]!;
  // The resolved config's paths are absolute; the seed draws the subsets as the run's lab did.
  const data = loadDataset({ ...config.data, seed: config.seed }, runDir);
  const ref = sklearnReference(data, primary, scratch);
  const { events } = parseEventLog(readFileSync(paths.events, 'utf8'));
  const tested = events.flatMap((e) =>
    (e.type === 'baseline' || e.type === 'selection') && e.test
      ? [`${e.type === 'baseline' ? e.name : 'selected'} ${e.test.metrics[primary]?.toFixed(3)}`]
      : [],
  );
  console.log(
    `${runDir} (seed ${config.seed}; train ${data.train.length}, validation ${data.validation.length}, test ${data.test.length}), test ${primary}:`,
  );
  console.log(
    `  TF-IDF + linear (scikit-learn ${ref.version}, C ${ref.c}): ${ref.test.toFixed(3)}`,
  );
  console.log(`  the run: ${tested.join(', ')}`);
}

const scratch = mkdtempSync(path.join(tmpdir(), 'bomf-tfidf-on-run-'));
try {
  for (const runDir of process.argv.slice(2)) compare(runDir, scratch);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
