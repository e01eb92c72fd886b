// Runs the unit tests (test/unit/**/*.test.ts) with Node's test runner and tsx.
// Node 20's --test does not expand globs or pick up .ts files, hence this script.
// Tests make their scratch folders under os.tmpdir(): TMPDIR points them to one folder of this
// run, removed at the end, so that thousands of runs leave nothing behind.
// Usage: node scripts/test.mjs [substring filter of test file paths]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const filter = process.argv[2] ?? '';
const files = fs
  .readdirSync(path.join(root, 'test', 'unit'), { recursive: true })
  .map((f) => path.join('test', 'unit', String(f)))
  .filter((f) => f.endsWith('.test.ts') && f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`no test files match '${filter}'`);
  process.exit(1);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-unit-'));
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TMPDIR: scratch } },
);
fs.rmSync(scratch, { recursive: true, force: true });
process.exit(r.status ?? 1);
