// The bad-input corpus (test/fixtures/bad-input, written by generate.py there): every case goes
// through the CLI's own entry point in-process and must exit with its code and a message that
// names the file and the line/column or field, with no raw control character on the terminal.
// Bugs caught: any check that silently accepts bad data or a bad bound (exit 0 instead of 2), a
// message that blames the wrong file or line, an ANSI escape from a data file echoed raw.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../../src/engine/cli';
import { printable } from '../../../src/train/data/text-hygiene';

interface Case {
  command: 'validate' | 'run' | 'resume' | 'report';
  exit: number;
  /** Regex for the location: the file and its line[:column], or the field. */
  where: string;
  /** Regex for what the message says. */
  message: string;
}

const corpus = path.resolve(__dirname, '..', '..', 'fixtures', 'bad-input');
// A copy: report and resume write into run folders, and run folders hold absolute paths.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-bad-input-'));
fs.cpSync(corpus, work, { recursive: true });
after(() => fs.rmSync(work, { recursive: true, force: true }));

const names = fs
  .readdirSync(work)
  .filter((n) => !n.startsWith('_') && fs.existsSync(path.join(work, n, 'case.json')))
  .sort();

/** Runs `bomf ARGS` in-process, returning its exit code and everything it printed. */
async function bomf(args: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    return { code: await main(args), output };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

function argsFor(c: Case, dir: string): string[] {
  const config = path.join(dir, 'config.bomf.yaml');
  switch (c.command) {
    case 'validate':
      return ['validate', config];
    case 'run':
      return ['run', config, '--out', path.join(dir, 'runs')];
    default:
      return [c.command, path.join(dir, 'run')];
  }
}

test('the corpus has at least 60 cases', () => {
  assert.ok(names.length >= 60, `${names.length} cases`);
});

for (const name of names) {
  test(name, async () => {
    const dir = path.join(work, name);
    const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case;
    const resolved = path.join(dir, 'run', 'config.resolved.yaml');
    if (fs.existsSync(resolved))
      fs.writeFileSync(resolved, fs.readFileSync(resolved, 'utf8').replace('@CASE_DIR@', dir));
    const { code, output } = await bomf(argsFor(c, dir));
    assert.equal(code, c.exit, output);
    assert.match(output, new RegExp(c.where), 'names the file and line/column or field');
    assert.match(output, new RegExp(c.message));
    assert.equal(printable(output), output, 'no raw control characters');
    if (c.command === 'run') assert.ok(!fs.existsSync(path.join(dir, 'runs')), 'no run folder');
  });
}
