// A run that fails past validation: the config and its model folder look right (config.json,
// tokenizer and weights files are there, so Validate Config passes), but the weights file is
// truncated, as after a broken download. The run fails while setting up; the tree must say why
// and what to do, and neither the tree nor the palette may offer a Resume (it would fail again).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contextMenuLabels, inlineActionTitles, runRow } from './tree.mjs';
import { openFile, openPalette, runCommand, waitFor } from './workbench.mjs';

const FAILED = /failed before training/;

/** broken.bomf.yaml: the example with a model folder whose weights are cut short. */
function writeBrokenExperiment(workspace, example, extensionDir) {
  const model = path.join(workspace, 'broken-model');
  fs.cpSync(path.join(extensionDir, 'assets', 'models', 'bomf-tiny'), model, { recursive: true });
  const weights = path.join(model, 'model.safetensors');
  fs.writeFileSync(weights, fs.readFileSync(weights).subarray(0, 2000));
  const config = path.join(workspace, 'broken.bomf.yaml');
  const text = fs.readFileSync(example, 'utf8').replace(/^name: .*$/m, 'name: broken');
  fs.writeFileSync(config, `${text}model:\n  source: broken-model\n`);
  return config;
}

/** Commands the palette lists for `query`, once it lists `expected` (so it has loaded). */
async function paletteCommands(page, query, expected) {
  const input = await openPalette(page);
  await input.fill(`>${query}`);
  const labels = await waitFor(
    `'${expected}' in the command palette`,
    async () => {
      const texts = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      return texts.some((t) => t.includes(expected)) ? texts : undefined;
    },
    15_000,
  );
  await page.keyboard.press('Escape');
  return labels;
}

export async function checkFailedRun(page, { workspace, example, extensionDir, results, log }) {
  log('a run that fails while setting up (truncated model weights)');
  const config = writeBrokenExperiment(workspace, example, extensionDir);
  await openFile(page, path.basename(config));
  await runCommand(page, 'BOMF: Run Experiment');
  const row = runRow(page, FAILED);
  await waitFor('the failed run in the tree', () => row.isVisible(), 120_000, 500);
  const text = (await row.textContent()).replace(/\s+/g, ' ');
  log(`failed run: ${text}`);
  if (!/truncated/.test(text) || !/fix the config/.test(text))
    throw new Error(`the failed run does not say why and what to do: ${text}`);
  await page.screenshot({ path: path.join(results, 'side-panel-failed.png') });

  const menu = await contextMenuLabels(page, row);
  if (!menu.some((l) => l.includes('Add Note')))
    throw new Error(`the failed run's context menu did not open: ${menu.join(', ')}`);
  const inline = await inlineActionTitles(page, row);
  const offered = [...menu, ...inline].filter((l) => /Resume/.test(l));
  if (offered.length > 0) throw new Error(`the failed run offers ${offered.join(', ')}`);
  const palette = await paletteCommands(page, 'BOMF: R', 'Reveal Run Folder');
  if (palette.some((l) => l.includes('Resume Run')))
    throw new Error(`the palette offers Resume Run with only a run that failed in its setup`);
  log(`no Resume: menu ${menu.join(', ')}; inline ${inline.join(', ') || 'none'}`);
}
