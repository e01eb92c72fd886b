// The experiments table and the compare view, end to end: the table lists both finished runs of
// the example under distinct names, sorting by the test metric puts the better run first, and
// comparing them draws both Pareto fronts. Saves the screenshots the README shows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWebviewFrame, runCommand, waitFor } from './workbench.mjs';

/** Rows of the table as [run folder, run name, test value] in shown order. */
function tableRows(frame) {
  return frame
    .locator('[data-testid="experiments-table"] tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.getAttribute('data-run-dir'),
        tr.querySelector('td[data-column="title"]')?.textContent ?? '',
        Number(tr.querySelector('td[data-column="test"]')?.textContent),
      ]),
    );
}

export async function checkExperimentsAndCompare(page, imagesDir, log) {
  fs.mkdirSync(imagesDir, { recursive: true });
  log('BOMF: Show Experiments Table');
  await runCommand(page, 'BOMF: Show Experiments Table');
  const table = await findWebviewFrame(page, '[data-testid="experiments-table"]', 60_000);
  const rows = await waitFor(
    'two finished runs in the experiments table',
    async () => {
      const r = await tableRows(table);
      return r.filter((x) => Number.isFinite(x[2])).length >= 2 ? r : undefined;
    },
    60_000,
  );
  const names = rows.map((r) => r[1]);
  log(`table: ${rows.map((r) => `${r[1]} = ${r[2]}`).join(' | ')}`);
  if (new Set(names).size !== names.length)
    throw new Error(`run names repeat: ${names.join(', ')}`);

  // First click on a numeric header: best first; the second: worst first.
  for (const descending of [true, false]) {
    await table.locator('th[data-column="test"]').click();
    const tests = (await tableRows(table)).map((r) => r[2]).filter(Number.isFinite);
    const sorted = [...tests].sort((a, b) => (descending ? b - a : a - b));
    if (tests.join() !== sorted.join())
      throw new Error(
        `test column not sorted ${descending ? 'descending' : 'ascending'}: ${tests}`,
      );
  }
  await table.locator('th[data-column="test"]').click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(imagesDir, 'experiments-table.png') });

  log('select both runs and compare');
  const finished = (await tableRows(table)).filter((r) => Number.isFinite(r[2])).slice(0, 2);
  for (const [runDir] of finished) {
    await table.locator(`tr[data-run-dir="${runDir}"] input[type=checkbox]`).check();
  }
  await table.locator('[data-testid="compare-runs"]').click();
  const compare = await findWebviewFrame(page, '[data-testid="compare-fronts-chart"]', 60_000);
  const fronts = await waitFor(
    'both Pareto fronts in the compare view',
    async () => {
      const value = await compare
        .locator('[data-testid="compare-fronts-chart"]')
        .getAttribute('data-fronts');
      const counts = value ? JSON.parse(value) : [];
      return counts.length === 2 && counts.every((n) => n > 0) ? counts : undefined;
    },
    60_000,
  );
  log(`compare: front sizes ${fronts.join(', ')}`);
  const seedRow = compare.locator('[data-testid="compare-config-table"] tr[data-key="seed"]');
  await seedRow.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(imagesDir, 'compare-runs.png') });
}
