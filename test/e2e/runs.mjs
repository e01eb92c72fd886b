// Runs of the example as a user starts, watches, reloads, stops and resumes them.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand, runRowTexts, treeRowTexts, waitFor, widenSideBar } from './workbench.mjs';

const oneLine = (t) => t.replace(/\s+/g, ' ');

/** "BOMF: Run Experiment" on the open config; follows it in the tree until it is done. */
export async function runFromPalette(page, { runTimeoutMs, shot, log }) {
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
  log(`tree: ${oneLine(final)}`);
  await shot('side-panel-finished.png');
  if (!/done/.test(final)) throw new Error(`the run did not finish well: ${final}`);
}

/** Reloads the window: the extension host starts afresh and rebuilds runs from their folders. */
export async function reloadWindow(page, log) {
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
  log(`after reload: ${oneLine(recovered)}`);
}

/**
 * A run started outside the editor (the CLI) shows up and is followed through its events.jsonl.
 * With seed 1, so the two runs differ (the compare view's config diff shows it).
 */
export async function runFromCli(page, { config, engine, log }) {
  log('starting a run from the CLI, seed 1');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^seed: 0$/m, 'seed: 1'));
  const cli = spawn(process.execPath, [engine, 'run', path.basename(config)], {
    cwd: path.dirname(config),
    stdio: 'ignore',
  });
  const cliDone = new Promise((resolve) => cli.on('exit', resolve));
  await waitFor(
    'a second run in the tree',
    async () => (await runRowTexts(page)).length >= 2,
    120_000,
    500,
  );
  log(`tree: ${(await runRowTexts(page)).map(oneLine).join(' | ')}`);
  const cliCode = await cliDone;
  if (cliCode !== 0) throw new Error(`the CLI run exited with ${cliCode}`);
  await waitFor(
    'both runs done in the tree',
    async () => (await runRowTexts(page)).filter((t) => /done/.test(t)).length >= 2,
    30_000,
  );
}

/** Stop (SIGTERM: the engine writes run-end 'stopped'), then Resume to the end. */
export async function stopAndResume(page, { runTimeoutMs, shot, log }) {
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
}
