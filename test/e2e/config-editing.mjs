// The config editor in real VS Code: completion, diagnostics, hover, and the "did you mean"
// quick fix (the extension-host tests cover the same where VS Code can be downloaded).
import { runCommand } from './workbench.mjs';

const squiggle = '.monaco-editor .squiggly-error';

/** Reverts the file and waits until its last diagnostic is gone. */
async function revert(page) {
  await runCommand(page, 'File: Revert File');
  await page.locator(squiggle).first().waitFor({ state: 'detached', timeout: 30_000 });
}

/** Completion, a diagnostic and hover; leaves the file as it was. */
export async function checkConfigEditing(page, log) {
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
  await page.locator(squiggle).first().waitFor({ timeout: 15_000 });
  await revert(page);
  await page
    .locator('.view-line span', { hasText: /^selection$|^budget$/ })
    .last()
    .hover();
  await page
    .locator('.monaco-hover', { hasText: /Fused-model evaluations|chosen from the Pareto front/ })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.mouse.move(5, 500);
  await checkQuickFix(page, log);
}

/**
 * A misspelt value under `fusion:` (the example's last section) gets the quick fix
 * "Change 'knees' to 'knee'"; applying it leaves a valid line. Leaves the file as it was.
 */
async function checkQuickFix(page, log) {
  log('config editing: did-you-mean quick fix');
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  // The example ends with a newline: the cursor is at the start of an empty last line.
  await page.keyboard.type('  selection: knees');
  await page.keyboard.press('Escape');
  await page.locator(squiggle).first().waitFor({ timeout: 15_000 });
  // Inside the misspelt word, where the diagnostic is.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row.focused', {
    hasText: "Change 'knees' to 'knee'",
  });
  // The fix is the focused row (the widget blocks pointer events while it opens): Enter applies it.
  await fix.first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  // Monaco renders spaces as no-break spaces, which \s matches.
  await page
    .locator('.view-line', { hasText: /^\s*selection:\s+knee$/ })
    .waitFor({ timeout: 15_000 });
  await page.locator(squiggle).first().waitFor({ state: 'detached', timeout: 15_000 });
  await revert(page);
}
