/**
 * The `bomf` command line. Each subcommand is a thin shell over an engine module,
 * so the extension and the tests can call the same code without a process.
 */
import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json';
import { BACKEND_PREFERENCES, type BackendPreference } from '../train';
import { formatDoctor, runDoctor } from './doctor';

export function buildProgram(): Command {
  const program = new Command('bomf')
    .description('Fine-tune a language model and fuse its checkpoints with multi-objective BO')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run `bomf --help` for the list of commands)')
    .showSuggestionAfterError(true);

  program
    .command('doctor')
    .description('report the engine version and the TF.js backend, and run a tensor self-test')
    .addOption(
      new Option('--backend <name>', 'backend to try').choices(BACKEND_PREFERENCES).default('auto'),
    )
    .option('--json', 'print the report as JSON')
    .action(async (opts: { backend: BackendPreference; json?: boolean }) => {
      const report = await runDoctor(pkg.version, opts.backend);
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatDoctor(report));
      if (!report.selfTest.ok) process.exitCode = 1;
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    console.error(`bomf: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
