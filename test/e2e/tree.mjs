// The BOMF tree's run rows: finding one, its context menu and its inline actions.

const RUN_ROWS = '[id="workbench.view.extension.bomf"] .monaco-list-row[aria-level="2"]';

/** The run row whose text matches `pattern`. */
export function runRow(page, pattern) {
  return page.locator(RUN_ROWS, { hasText: pattern }).first();
}

/** Labels of the row's context menu (right click); the menu is closed again. */
export async function contextMenuLabels(page, row) {
  await row.click({ button: 'right' });
  const items = page.locator('.monaco-menu .action-label');
  await items.first().waitFor({ timeout: 15_000 });
  const labels = (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  return labels;
}

/** Titles of the row's inline action buttons, shown while it is hovered. */
export async function inlineActionTitles(page, row) {
  await row.hover();
  await page.waitForTimeout(300);
  return row
    .locator('.actions .action-label')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.title ?? ''));
}
