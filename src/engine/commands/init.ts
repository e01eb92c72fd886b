/**
 * `bomf init [FILE] [--template NAME]`: writes an example experiment config.
 * Templates are the configs in examples/; their data paths are rewritten so the
 * new file runs as is (on the bundled example data) until pointed at your own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { examplesDir } from '../package-root';

const SUFFIX = '.bomf.yaml';

export function listTemplates(): string[] {
  return fs
    .readdirSync(examplesDir())
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/** The template's text with data paths made relative to `destination`'s folder. */
export function renderTemplate(template: string, destination: string): string {
  const source = path.join(examplesDir(), `${template}${SUFFIX}`);
  if (!fs.existsSync(source)) {
    throw new Error(`unknown template '${template}'; available: ${listTemplates().join(', ')}`);
  }
  const doc = parseDocument(fs.readFileSync(source, 'utf8'));
  const destDir = path.dirname(path.resolve(destination));
  for (const split of ['train', 'validation', 'test']) {
    const value = doc.getIn(['data', split]);
    if (typeof value !== 'string') continue;
    const absolute = path.resolve(path.dirname(source), value);
    doc.setIn(['data', split], path.relative(destDir, absolute).split(path.sep).join('/'));
  }
  return doc.toString();
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write an example experiment config')
    .argument('[file]', 'where to write it', `experiment${SUFFIX}`)
    .option('--template <name>', 'which example to start from', 'sst2-quick')
    .option('--list', 'list the templates')
    .option('--force', 'overwrite an existing file')
    .action((file: string, opts: { template: string; list?: boolean; force?: boolean }) => {
      if (opts.list) {
        process.stdout.write(`${listTemplates().join('\n')}\n`);
        return;
      }
      if (fs.existsSync(file) && !opts.force) {
        process.stderr.write(`bomf: ${file} exists; pass --force to overwrite it\n`);
        process.exitCode = 2;
        return;
      }
      fs.writeFileSync(file, renderTemplate(opts.template, file));
      process.stdout.write(`wrote ${file} from template ${opts.template}\n`);
    });
}
