/** `bomf report RUN_DIR`: rebuilds report.json/report.md from the event log and prints one. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { parseEventLog } from '../../contract/events';
import { renderReportMarkdown, writeReport } from '../report/write-report';
import { openRunFolder } from '../store/run-folder';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description("rebuild and print a run's report (works on interrupted runs too)")
    .argument('<run-dir>', 'the run folder')
    .option('--json', 'print report.json instead of the markdown')
    .action((runDir: string, opts: { json?: boolean }) => {
      let run: ReturnType<typeof openRunFolder>;
      try {
        run = openRunFolder(runDir);
      } catch (err) {
        process.stderr.write(`bomf: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const { paths, config } = run;
      const { events, badLines } = parseEventLog(fs.readFileSync(paths.events, 'utf8'));
      if (badLines.length > 0)
        process.stderr.write(
          `bomf: ${paths.events}: skipped unreadable lines ${badLines.join(', ')}\n`,
        );
      const report = writeReport(config, paths, events);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderReportMarkdown(report, config.data.metrics),
      );
    });
}
