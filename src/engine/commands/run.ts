/** `bomf run` and `bomf resume`: the pipeline with signals, output modes and exit codes. */
import type { Command } from 'commander';
import { printable } from '../../train/data/text-hygiene';
import { createLab } from '../lab/create-lab';
import { type RunOutcome, resumeRun, startRun } from '../pipeline/run';
import { ConfigError } from '../pipeline/run-config';
import type { EventLog } from '../store/event-log';
import { jsonLinesSink, plainSink, progressBarSink } from './event-printer';

interface OutputOptions {
  jsonEvents?: boolean;
}

/** SIGINT/SIGTERM abort the run cleanly; a second signal exits at once. */
function abortOnSignals(): { signal: AbortSignal; exitCode: () => number; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals) => {
    if (received) process.exit(sig === 'SIGINT' ? 130 : 143);
    received = sig;
    process.stderr.write(
      `bomf: ${sig} received, stopping after the current step (again to force)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    exitCode: () => (received === 'SIGINT' ? 130 : 143),
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function attachOutput(opts: OutputOptions) {
  const sink = opts.jsonEvents
    ? jsonLinesSink()
    : process.stdout.isTTY
      ? progressBarSink()
      : plainSink();
  return (log: EventLog) => log.onEvent(sink);
}

async function execute(
  opts: OutputOptions,
  run: (o: Parameters<typeof startRun>[1]) => Promise<RunOutcome>,
): Promise<void> {
  const signals = abortOnSignals();
  try {
    const outcome = await run({
      labFactory: createLab,
      checkInputs: true,
      signal: signals.signal,
      onLog: attachOutput(opts),
    });
    if (outcome.error) {
      const what = outcome.status === 'failed' ? 'run failed' : 'run finished, but';
      process.stderr.write(
        `bomf: ${what}: ${printable(outcome.error.message)}\n${outcome.nextStep}\n`,
      );
      process.exitCode = 1;
    } else if (outcome.finishedBefore) {
      process.stderr.write(`bomf: ${outcome.runDir} had finished already; its report is written\n`);
    } else if (outcome.status === 'stopped') {
      process.stderr.write(`bomf: run stopped; resume with: bomf resume ${outcome.runDir}\n`);
      process.exitCode = signals.exitCode();
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${printable(err.message)}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  } finally {
    signals.dispose();
  }
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run the three stages and the baselines for an experiment config')
    .argument('<config>', 'experiment config (*.bomf.yaml)')
    .option('--out <dir>', 'folder for the run folder (default: output.dir of the config)')
    .option('--json-events', 'print events as JSON lines on stdout (for the extension)')
    .action((config: string, opts: OutputOptions & { out?: string }) =>
      execute(opts, (o) => startRun(config, { ...o, outDir: opts.out })),
    );

  program
    .command('resume')
    .description('continue an interrupted run without redoing finished work')
    .argument('<run-dir>', 'the run folder')
    .option('--json-events', 'print events as JSON lines on stdout (for the extension)')
    .action((runDir: string, opts: OutputOptions) => execute(opts, (o) => resumeRun(runDir, o)));
}
