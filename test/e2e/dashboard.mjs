// The dashboard of the finished first run, checked against the run's own event log: the Pareto
// chart's points, the results table's methods, the parallel-coordinates lines; then "Export this
// fused model" on the selected (chosen) point, and the exported weights against the chosen fusion.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFusedWeights, readEvents } from './fused-weights.mjs';
import { findWebviewFrame, runCommand, waitFor } from './workbench.mjs';

const distinct = (events, type, key) =>
  new Set(events.filter((e) => e.type === type).map((e) => e[key])).size;

export async function checkDashboard(page, runDir, { results, exportsDir, imagesDir, log }) {
  const events = readEvents(runDir);
  log('BOMF: Open Dashboard');
  await runCommand(page, 'BOMF: Open Dashboard');
  const frame = await findWebviewFrame(page, '[data-testid="dashboard"]', 60_000);
  const chart = frame.locator('[data-testid="pareto-chart"]');
  const points = await waitFor(
    'points on the Pareto chart',
    async () => Number(await chart.getAttribute('data-points')),
    60_000,
  );
  const evaluations = distinct(events, 'fusion-eval', 'index');
  const onFront = Number(await chart.getAttribute('data-front'));
  const front = events.filter((e) => e.type === 'pareto-update').at(-1)?.front ?? [];
  log(`Pareto chart: ${points} points, ${onFront} on the front`);
  if (points !== evaluations || onFront !== front.length)
    throw new Error(
      `the Pareto chart shows ${points} points, ${onFront} on the front; the log has ${evaluations} evaluations, ${front.length} on its last front`,
    );

  const table = frame.locator('[data-testid="results-table"]');
  await table.waitFor({ timeout: 30_000 });
  const methods = await table
    .locator('tr[data-method]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method')));
  log(`results table: ${methods.join(', ')}`);
  const logged = [
    'bomf',
    ...new Set(events.filter((e) => e.type === 'baseline').map((e) => e.name)),
  ];
  for (const name of logged) {
    if (!methods.includes(name))
      throw new Error(`the results table lacks ${name} (rows: ${methods.join(', ')})`);
  }

  const parallel = frame.locator('[data-testid="parallel-chart"]');
  const lines = Number(await parallel.getAttribute('data-lines'));
  const trials = distinct(events, 'trial-end', 'trial');
  log(`parallel coordinates: ${lines} lines over ${await parallel.getAttribute('data-axes')}`);
  if (lines !== trials)
    throw new Error(`parallel coordinates draw ${lines} lines, the log has ${trials} ended trials`);

  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(results, 'dashboard-finished.png') });
  await frame.locator('[data-testid="parallel-card"]').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await frame
    .locator('[data-testid="parallel-card"]')
    .screenshot({ path: path.join(imagesDir, 'parallel-coordinates.png') });
  await table.scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(results, 'dashboard-results.png') });

  const exported = await exportFromDashboard(page, frame, exportsDir, log);
  log(`exported model: ${checkFusedWeights(runDir, exported)}`);
  const own = events.filter((e) => e.type === 'selection').at(-1).dir;
  log(`the run's own fused model: ${checkFusedWeights(runDir, path.join(runDir, own))}`);
}

/**
 * "Export this fused model" on the selected Pareto point: the host asks for a folder
 * (VS Code's own file dialog in a browser) and runs `bomf fuse` with that point's weights.
 * Returns the written model folder.
 */
async function exportFromDashboard(page, frame, exportsDir, log) {
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
  const model = path.join(exportsDir, written[0] ?? '');
  if (written.length !== 1 || !fs.existsSync(path.join(model, 'model.safetensors'))) {
    throw new Error(
      `expected one fused model folder with model.safetensors in ${exportsDir}, found: ${written.join(', ')}`,
    );
  }
  return model;
}
