/**
 * disk-full.ts's fallback where tmpfs cannot be mounted (not root): `bomf run`
 * in this process, with the file-system layer running out of space at the k-th
 * write, k a fraction of a tiny run's ~100 writes. Prints what the CLI prints.
 * Usage: disk-full-child.ts CONFIG OUT_DIR FRACTION
 */
import { createTfLab } from '../../src/engine/lab/tf-lab';
import { startRun } from '../../src/engine/pipeline/run';
import { useFileSystem } from '../../src/train/durable-fs';
import { FullDiskFs } from '../support/full-disk-fs';

const [config, outDir, fraction] = process.argv.slice(2);
useFileSystem(new FullDiskFs(Math.max(1, Math.round(Number(fraction) * 100))));
startRun(config!, { labFactory: createTfLab, outDir }).then(
  (outcome) => {
    if (outcome.error) {
      process.stderr.write(`bomf: run failed: ${outcome.error.message}\n${outcome.nextStep}\n`);
      process.exitCode = 1;
    }
  },
  (err: Error) => {
    process.stderr.write(`bomf: ${err.message}\n`);
    process.exitCode = 1;
  },
);
