/** `bomf report RUN_DIR`: rebuilds report.json/report.md from the event log and prints one. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { parseEventLog } from '../../contract/read-event-log';
import { renderReportMarkdown, writeReport } from '../report/write-report';
import { malformedEvents } from '../store/event-shape';
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
      const text = fs.readFileSync(paths.events, 'utf8');
      const parsed = parseEventLog(text);
      if (parsed.badLines.length > 0)
        process.stderr.write(
          `bomf: ${paths.events}: skipped unreadable lines ${parsed.badLines.join(', ')}\n`,
        );
      const malformed = malformedEvents(text);
      for (const m of malformed)
        process.stderr.write(`bomf: ${paths.events}:${m.line}: ${m.problem} (skipped)\n`);
      const skipped = new Set(malformed.map((m) => m.index));
      const events = parsed.events.filter((_, i) => !skipped.has(i));
      const report = writeReport(config, paths, events);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderReportMarkdown(report, config.data.metrics),
      );
    });
}
