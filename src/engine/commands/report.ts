/** `bomf report RUN_DIR`: rebuilds report.json/report.md from the event log and prints one. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { ResolvedConfig } from '../config';
import { parseEventLog } from '../events';
import { renderReportMarkdown, writeReport } from '../report/write-report';
import { runPaths } from '../store/run-folder';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description("rebuild and print a run's report (works on interrupted runs too)")
    .argument('<run-dir>', 'the run folder')
    .option('--json', 'print report.json instead of the markdown')
    .action((runDir: string, opts: { json?: boolean }) => {
      const paths = runPaths(runDir);
      if (!fs.existsSync(paths.events) || !fs.existsSync(paths.config)) {
        process.stderr.write(
          `bomf: ${runDir} is not a run folder (config.resolved.yaml and events.jsonl are expected)\n`,
        );
        process.exitCode = 2;
        return;
      }
      const config = parse(fs.readFileSync(paths.config, 'utf8')) as ResolvedConfig;
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
