/**
 * `npm run study -- <study.yaml> [--report-only] [--no-figures]`
 *
 * Runs (or resumes) a study and regenerates its markdown and figures. Ctrl-C
 * stops after the current unit of work; the same command continues.
 *   --report-only  regenerate docs and figures from the results JSON, run nothing
 *   --no-figures   skip the PNGs (no Chromium needed)
 */
import { createTfLab } from '../../src/engine/lab/tf-lab';
import { loadStudyConfig } from './config';
import { chromiumAvailable } from './figures/render';
import { writeStudyReport } from './report';
import { readResults } from './results';
import { runStudy } from './runner';

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: npm run study -- <study.yaml> [--report-only] [--no-figures]');
    return 2;
  }
  const study = loadStudyConfig(file);
  const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
  if (!argv.includes('--report-only')) {
    const controller = new AbortController();
    const stop = () => {
      log('stopping after the current unit of work (the same command resumes)');
      controller.abort();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await runStudy(study, { labFactory: createTfLab, signal: controller.signal, onLog: log });
  }
  const results = readResults(study.results);
  const figures = !argv.includes('--no-figures') && chromiumAvailable();
  if (!figures && !argv.includes('--no-figures'))
    log('Chromium not found (apt-get install -y chromium): writing the markdown without figures');
  const doc = await writeStudyReport(study, results, { figures });
  log(`wrote ${argv.includes('--report-only') ? '' : `${study.results} and `}${doc}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
