// End-to-end test in real VS Code: packages the VSIX, installs it into code-server, opens a
// workspace holding the tiny example experiment in Debian's Chromium (playwright-core), and
// walks through it as a user: config editing (completion, diagnostics, hover, quick fix), a run
// from the command palette followed in the side panel, the dashboard checked against the run's
// event log, an export whose weights are checked against the chosen fusion, a note that survives
// a window reload, a second run from the CLI, the experiments table and the comparison, stop and
// resume, and a run that fails in its setup without offering Resume. Each step is a module here.
// Screenshots go to test-results/ (the README's to docs/images/). Usage: npm run test:e2e
// Env: BOMF_E2E_VSIX=<file> tests that VSIX instead of packaging; BOMF_E2E_RUN_TIMEOUT_MIN
// bounds the run (default 30); BOMF_E2E_KEEP=1 keeps the temp folder; BOMF_E2E_EXAMPLES=<dir>
// takes the workspace (with tiny.bomf.yaml) from another folder than examples/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { startCodeServer } from './code-server.mjs';
import { checkConfigEditing } from './config-editing.mjs';
import { checkDashboard } from './dashboard.mjs';
import { checkExperimentsAndCompare } from './experiments.mjs';
import { checkFailedRun } from './failed-run.mjs';
import { ensureCodeServer } from './install-code-server.mjs';
import { addNoteInTree, checkNoteAfterReload } from './notes.mjs';
import { reloadWindow, runFromCli, runFromPalette, stopAndResume } from './runs.mjs';
import { openFile, openWorkbench, runCommand } from './workbench.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const results = path.join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const EXAMPLES = path.resolve(process.env.BOMF_E2E_EXAMPLES ?? path.join(root, 'examples'));
const EXAMPLE = path.join(EXAMPLES, 'tiny.bomf.yaml');
const runTimeoutMs = Number(process.env.BOMF_E2E_RUN_TIMEOUT_MIN ?? 30) * 60_000;
const imagesDir = path.join(root, 'docs', 'images');
const NOTE = 'baseline run: seed 0, default search';
const log = (s) => console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${s}`);

function preflight() {
  const missing = [];
  if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
  if (!fs.existsSync('/usr/bin/rg')) missing.push('ripgrep');
  if (!fs.existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  if (missing.length > 0)
    throw new Error(`missing Debian packages: apt-get install -y ${missing.join(' ')}`);
  if (!fs.existsSync(EXAMPLE)) throw new Error(`the example experiment ${EXAMPLE} is missing`);
}

function packageVsix() {
  if (process.env.BOMF_E2E_VSIX) return path.resolve(process.env.BOMF_E2E_VSIX);
  log('packaging the VSIX');
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${pkg.name}-${pkg.version}.vsix`);
}

/** A workspace with the example config and the data it names (relative to the config). */
function makeWorkspace(tmp) {
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.copyFileSync(EXAMPLE, path.join(workspace, path.basename(EXAMPLE)));
  fs.cpSync(path.join(EXAMPLES, 'data'), path.join(workspace, 'data'), { recursive: true });
  return workspace;
}

async function main() {
  const started = Date.now();
  preflight();
  const bin = ensureCodeServer(path.join(root, '.cache', 'code-server'), log);
  const vsix = packageVsix();
  fs.mkdirSync(results, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-e2e-'));
  const workspace = makeWorkspace(tmp);
  const server = await startCodeServer({
    bin,
    vsix,
    tmp,
    log,
    settings: {
      'security.workspace.trust.enabled': false,
      // VS Code in a browser saves after a second by default: an edit the test makes and then
      // reverts would be written to the config first (and the revert would find nothing to undo).
      'files.autoSave': 'off',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.colorTheme': 'Default Dark Modern',
      'extensions.autoCheckUpdates': false,
      'telemetry.telemetryLevel': 'off',
    },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const shot = (name) => page.screenshot({ path: path.join(results, name) });
  try {
    log('opening the workbench');
    await openWorkbench(page, server.url, workspace);

    log('opening the example config and validating it');
    await openFile(page, path.basename(EXAMPLE));
    await page.locator('.monaco-editor .view-lines').first().click();
    await runCommand(page, 'BOMF: Validate Config');
    await page.locator('.notification-toast', { hasText: 'is valid' }).waitFor({ timeout: 30_000 });
    await checkConfigEditing(page, log);

    await runFromPalette(page, { runTimeoutMs, shot, log });
    const [firstRun] = fs.readdirSync(path.join(workspace, 'runs'));
    const runDir = path.join(workspace, 'runs', firstRun);
    await checkDashboard(page, runDir, {
      results,
      exportsDir: path.join(tmp, 'exports'),
      imagesDir,
      log,
    });

    await addNoteInTree(page, runDir, NOTE, log);
    await reloadWindow(page, log);
    await checkNoteAfterReload(page, runDir, NOTE, log);

    const installed = fs
      .readdirSync(server.extensions)
      .find((d) => d.startsWith('bomf-studio.bomf-studio-'));
    const extensionDir = path.join(server.extensions, installed);
    await runFromCli(page, {
      config: path.join(workspace, path.basename(EXAMPLE)),
      engine: path.join(extensionDir, 'dist', 'engine.js'),
      log,
    });
    await checkExperimentsAndCompare(page, imagesDir, log);
    await stopAndResume(page, { runTimeoutMs, shot, log });
    await checkFailedRun(page, { workspace, example: EXAMPLE, extensionDir, results, log });
    log(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (err) {
    await shot('failure.png').catch(() => {});
    console.error(`code-server log: ${server.logFile}`);
    throw err;
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.BOMF_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`e2e failed: ${err.stack ?? err}`);
  process.exit(1);
});
