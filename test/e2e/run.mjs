// End-to-end test in real VS Code: packages the VSIX, installs it into code-server, opens a
// workspace holding the tiny example experiment in Debian's Chromium (playwright-core), runs
// "BOMF: Run Experiment" from the command palette, waits for the side panel to show the run
// done, opens the dashboard and checks its Pareto chart and results table from the webview DOM.
// Screenshots go to test-results/. Usage: npm run test:e2e
// Env: BOMF_E2E_VSIX=<file> tests that VSIX instead of packaging; BOMF_E2E_RUN_TIMEOUT_MIN
// bounds the run (default 30); BOMF_E2E_KEEP=1 keeps the temp folder; BOMF_E2E_EXAMPLES=<dir>
// takes the workspace (with tiny.bomf.yaml) from another folder than examples/.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { startCodeServer } from './code-server.mjs';
import { checkExperimentsAndCompare } from './experiments.mjs';
import { ensureCodeServer } from './install-code-server.mjs';
import {
  findWebviewFrame,
  openWorkbench,
  runCommand,
  runRowTexts,
  treeRowTexts,
  waitFor,
  widenSideBar,
} from './workbench.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const results = path.join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const EXAMPLES = path.resolve(process.env.BOMF_E2E_EXAMPLES ?? path.join(root, 'examples'));
const EXAMPLE = path.join(EXAMPLES, 'tiny.bomf.yaml');
const runTimeoutMs = Number(process.env.BOMF_E2E_RUN_TIMEOUT_MIN ?? 30) * 60_000;
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

/**
 * Completion, diagnostics and hover in the config editor (the extension-host tests cover
 * the same where VS Code can be downloaded). Leaves the file as it was.
 */
async function checkConfigEditing(page) {
  log('config editing: completion, diagnostics, hover');
  const editor = page.locator('.monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nfus');
  await page.keyboard.press('Control+Space');
  const suggestion = page
    .locator('.suggest-widget .monaco-list-row', { hasText: 'fusion' })
    .first();
  await suggestion.waitFor({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  // 'fus' alone on a line is not valid YAML: the validator's diagnostic shows as a squiggle.
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 15_000 });
  await runCommand(page, 'File: Revert File');
  await page
    .locator('.monaco-editor .squiggly-error')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 });
  await page
    .locator('.view-line span', { hasText: /^selection$|^budget$/ })
    .last()
    .hover();
  await page
    .locator('.monaco-hover', { hasText: /Fused-model evaluations|chosen from the Pareto front/ })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.mouse.move(5, 500);
}

/**
 * "Export this fused model" on the selected Pareto point: the host asks for a folder
 * (VS Code's own file dialog in a browser) and runs `bomf fuse` with that point's weights.
 */
async function exportFromDashboard(page, frame, exportsDir) {
  log('export a fused model from the dashboard');
  fs.mkdirSync(exportsDir, { recursive: true });
  await frame.locator('[data-testid="export-fused"]').click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog fills in its start folder itself, possibly more than once: type over it
  // until the typed path stays.
  const wanted = `${exportsDir}/`;
  await waitFor(
    'the export folder typed into the file dialog',
    async () => {
      if ((await input.inputValue()) !== wanted) await input.fill(wanted);
      await page.waitForTimeout(700);
      return (await input.inputValue()) === wanted;
    },
    20_000,
    100,
  );
  await page.keyboard.press('Enter');
  // Enter on a folder path may first open that folder in the dialog; a second one accepts it.
  await page.waitForTimeout(1500);
  if (await input.isVisible()) await page.keyboard.press('Enter');
  await page
    .locator('.notification-toast', { hasText: 'fused model written to' })
    .waitFor({ timeout: 120_000 });
  const written = fs.readdirSync(exportsDir);
  if (
    written.length !== 1 ||
    !fs.existsSync(path.join(exportsDir, written[0], 'model.safetensors'))
  ) {
    throw new Error(
      `expected one fused model folder with model.safetensors in ${exportsDir}, found: ${written.join(', ')}`,
    );
  }
}

async function main() {
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
    await runCommand(page, 'Go to File');
    await page.keyboard.type(path.basename(EXAMPLE));
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(EXAMPLE) })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page
      .locator('.tab.active', { hasText: path.basename(EXAMPLE) })
      .waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await runCommand(page, 'BOMF: Validate Config');
    await page.locator('.notification-toast', { hasText: 'is valid' }).waitFor({ timeout: 30_000 });
    await checkConfigEditing(page);

    log('BOMF: Run Experiment');
    await runCommand(page, 'BOMF: Run Experiment');
    // The view's focus command opens the side bar whatever state it is in (a click toggles it).
    await runCommand(page, 'BOMF Studio: Focus on Experiments View');
    await widenSideBar(page, 560);
    const runRow = page.locator('.monaco-list-row', { hasText: /running|done|failed/ }).first();
    await runRow.waitFor({ timeout: 120_000 });
    await runRow.locator('.monaco-tl-twistie').click();
    const stageRow = page.locator('.monaco-list-row', { hasText: 'Stage 1' }).first();
    await stageRow.waitFor({ timeout: 120_000 });
    await stageRow.locator('.monaco-tl-twistie').click();
    await waitFor(
      'a trial in the tree',
      async () => (await treeRowTexts(page)).some((t) => t.includes('Trial')),
      120_000,
      250,
    );
    await page.waitForTimeout(1000);
    await shot('side-panel-running.png');

    log('waiting for the run to finish');
    const final = await waitFor(
      'the run to finish (tree shows done or failed)',
      async () =>
        (await runRowTexts(page)).find((t) => /(done|failed|interrupted|stopped)\b/.test(t)),
      runTimeoutMs,
      2000,
    );
    log(`tree: ${final.replace(/\s+/g, ' ')}`);
    await shot('side-panel-finished.png');
    if (!/done/.test(final)) throw new Error(`the run did not finish well: ${final}`);

    log('BOMF: Open Dashboard');
    await runCommand(page, 'BOMF: Open Dashboard');
    const frame = await findWebviewFrame(page, '[data-testid="dashboard"]', 60_000);
    const chart = frame.locator('[data-testid="pareto-chart"]');
    const points = await waitFor(
      'points on the Pareto chart',
      async () => Number(await chart.getAttribute('data-points')),
      60_000,
    );
    log(`Pareto chart: ${points} points, ${await chart.getAttribute('data-front')} on the front`);
    const table = frame.locator('[data-testid="results-table"]');
    await table.waitFor({ timeout: 30_000 });
    const methods = await table
      .locator('tr[data-method]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method')));
    log(`results table: ${methods.join(', ')}`);
    for (const name of ['bomf', 'best-single', 'swa', 'greedy-soup']) {
      if (!methods.includes(name))
        throw new Error(`the results table lacks ${name} (rows: ${methods.join(', ')})`);
    }
    await page.waitForTimeout(1500);
    await shot('dashboard-finished.png');
    await table.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot('dashboard-results.png');
    await exportFromDashboard(page, frame, path.join(tmp, 'exports'));

    // After a reload the extension host starts afresh: the run comes back from its folder.
    log('reloading the window');
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page
      .locator('.activitybar [aria-label^="BOMF Studio"]')
      .first()
      .waitFor({ timeout: 60_000 });
    await runCommand(page, 'BOMF Studio: Focus on Experiments View');
    const recovered = await waitFor(
      'the finished run in the tree after a reload',
      async () => (await runRowTexts(page)).find((t) => /done/.test(t)),
      60_000,
    );
    log(`after reload: ${recovered.replace(/\s+/g, ' ')}`);

    // A run started outside the editor (the CLI) shows up and is followed through its events.jsonl.
    // With another seed, so the two runs differ (the compare view's config diff shows it).
    log('starting a run from the CLI, seed 1');
    const config = path.join(workspace, path.basename(EXAMPLE));
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^seed: 0$/m, 'seed: 1'));
    const installed = fs
      .readdirSync(server.extensions)
      .find((d) => d.startsWith('bomf-studio.bomf-studio-'));
    const engine = path.join(server.extensions, installed, 'dist', 'engine.js');
    const cli = spawn(process.execPath, [engine, 'run', path.basename(EXAMPLE)], {
      cwd: workspace,
      stdio: 'ignore',
    });
    const cliDone = new Promise((resolve) => cli.on('exit', resolve));
    await waitFor(
      'a second run in the tree',
      async () => (await runRowTexts(page)).length >= 2,
      120_000,
      500,
    );
    log(`tree: ${(await runRowTexts(page)).map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
    const cliCode = await cliDone;
    if (cliCode !== 0) throw new Error(`the CLI run exited with ${cliCode}`);
    await waitFor(
      'both runs done in the tree',
      async () => (await runRowTexts(page)).filter((t) => /done/.test(t)).length >= 2,
      30_000,
    );

    await checkExperimentsAndCompare(page, path.join(root, 'docs', 'images'), log);

    // Stop (SIGTERM: the engine writes run-end 'stopped'), then Resume to the end.
    log('run, stop, resume');
    await runCommand(page, 'BOMF: Run Experiment');
    await waitFor(
      'a third run running',
      async () => (await runRowTexts(page)).some((t) => /running/.test(t)),
      60_000,
      250,
    );
    await runCommand(page, 'BOMF: Stop Run');
    await waitFor(
      'the run stopped',
      async () => (await runRowTexts(page)).some((t) => /stopped/.test(t)),
      60_000,
    );
    await shot('side-panel-stopped.png');
    await runCommand(page, 'BOMF: Resume Run');
    await waitFor(
      'the resumed run done',
      async () => (await runRowTexts(page)).filter((t) => /done/.test(t)).length >= 3,
      runTimeoutMs,
      1000,
    );
    log('passed');
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
