/**
 * The `bomf` command line. Each subcommand lives in commands/ as a thin shell
 * over an engine module, so the extension and the tests can call the same code
 * without a process.
 */
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json';
import { printable } from '../train/data/text-hygiene';
import { registerDoctorCommand } from './commands/doctor';
import { registerFuseCommand } from './commands/fuse';
import { registerInitCommand } from './commands/init';
import { registerJobWorkerCommands } from './commands/job-worker';
import { registerPretrainCommand } from './commands/pretrain';
import { registerReportCommand } from './commands/report';
import { registerRunCommands } from './commands/run';
import { registerValidateCommand } from './commands/validate';

export function buildProgram(): Command {
  const program = new Command('bomf')
    .description('Fine-tune a language model and fuse its checkpoints with multi-objective BO')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run `bomf --help` for the list of commands)')
    .showSuggestionAfterError(true);
  registerInitCommand(program);
  registerValidateCommand(program);
  registerRunCommands(program);
  registerReportCommand(program);
  registerFuseCommand(program);
  registerDoctorCommand(program);
  registerJobWorkerCommands(program);
  registerPretrainCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    console.error(`bomf: ${printable(err instanceof Error ? err.message : String(err))}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
