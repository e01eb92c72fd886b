/** `bomf validate FILE`: the config's diagnostics, as compiler-style lines or JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostics, validateConfigText } from '../config';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check an experiment config, its data files and its model; exit code 2 when it has errors',
    )
    .argument('<config>', 'experiment config (*.bomf.yaml)')
    .option('--json', 'print diagnostics as a JSON array')
    .action((file: string, opts: { json?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`bomf: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const { diagnostics } = validateConfigText(text, file, {
        baseDir: path.dirname(path.resolve(file)),
        data: true,
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(diagnostics, null, 2)}\n`);
      else if (diagnostics.length > 0) process.stdout.write(`${formatDiagnostics(diagnostics)}\n`);
      else process.stdout.write(`${file}: ok\n`);
      if (diagnostics.some((d) => d.severity === 'error')) process.exitCode = 2;
    });
}
