/**
 * `bomf init [FILE] [--template NAME]`: writes an example experiment config.
 * Templates are the configs in examples/; their example data is copied beside the new
 * file, which runs as is on it until pointed at your own.
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

export interface RenderedTemplate {
  text: string;
  /** Data files to copy beside the new config: absolute source → absolute destination. */
  copies: { from: string; to: string }[];
}

/**
 * The template's text with its data files copied beside `destination` (in `data/<dataset>/`
 * next to it) and the config pointing there: paths into the install folder would break when
 * the extension updates to a new versioned folder.
 */
export function renderTemplate(template: string, destination: string): RenderedTemplate {
  const source = path.join(examplesDir(), `${template}${SUFFIX}`);
  if (!fs.existsSync(source)) {
    throw new Error(`unknown template '${template}'; available: ${listTemplates().join(', ')}`);
  }
  const doc = parseDocument(fs.readFileSync(source, 'utf8'));
  const destDir = path.dirname(path.resolve(destination));
  const copies: RenderedTemplate['copies'] = [];
  for (const split of ['train', 'validation', 'test']) {
    const value = doc.getIn(['data', split]);
    if (typeof value !== 'string') continue;
    const from = path.resolve(path.dirname(source), value);
    // examples/data/sst2/train.tsv → data/sst2/train.tsv beside the new config.
    const relative = path.relative(path.join(examplesDir(), 'data'), from);
    const to = path.join(
      destDir,
      'data',
      relative.startsWith('..') ? path.basename(from) : relative,
    );
    copies.push({ from, to });
    doc.setIn(['data', split], path.relative(destDir, to).split(path.sep).join('/'));
  }
  return { text: doc.toString(), copies };
}

/** Writes the config and copies its data, leaving data files that already exist alone. */
export function writeTemplate(template: string, destination: string): void {
  const { text, copies } = renderTemplate(template, destination);
  for (const { from, to } of copies) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (!fs.existsSync(to)) fs.copyFileSync(from, to);
  }
  fs.writeFileSync(destination, text);
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
      writeTemplate(opts.template, file);
      process.stdout.write(`wrote ${file} from template ${opts.template}\n`);
    });
}
