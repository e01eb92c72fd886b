// A note added from the tree's context menu is kept in the run folder (annotations.jsonl) and
// still counted on the run after a window reload, which starts the extension host afresh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRow } from './tree.mjs';
import { waitFor } from './workbench.mjs';

const NOTE_COUNT = /\b1 note\b/;

const readNotes = (runDir) => fs.readFileSync(path.join(runDir, 'annotations.jsonl'), 'utf8');

export async function addNoteInTree(page, runDir, text, log) {
  log('add a note from the tree');
  const input = page.locator('.quick-input-widget input');
  // VS Code's context menu ignores a click that comes right after it opened (seen on a quiet
  // machine: the item highlighted, the menu still open, no input box), so the click waits for
  // the menu to settle; a menu closed under the click by a re-rendered tree row is opened
  // again, at most three times, and the log says so.
  for (let attempt = 1; ; attempt++) {
    await runRow(page, /done/).click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-label', { hasText: 'Add Note' }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 5_000 });
      await item.hover();
      await page.waitForTimeout(500);
      await item.click();
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      log(`Add Note: no input box after attempt ${attempt} (${err.message.split('\n')[0]}); again`);
      await page.keyboard.press('Escape');
    }
  }
  await input.fill(text);
  await page.keyboard.press('Enter');
  await runRow(page, NOTE_COUNT).waitFor({ timeout: 15_000 });
  if (!readNotes(runDir).includes(text))
    throw new Error(`annotations.jsonl lacks the note: ${readNotes(runDir)}`);
}

/**
 * After a reload the extension host has read the run folder afresh: the run's row still counts
 * the note, and the note is still in annotations.jsonl.
 */
export async function checkNoteAfterReload(page, runDir, text, log) {
  const row = runRow(page, NOTE_COUNT);
  await waitFor('the note counted on the run after the reload', () => row.isVisible(), 60_000);
  if (!readNotes(runDir).includes(text)) throw new Error('the note is gone after the reload');
  log(`note after reload: ${(await row.textContent()).replace(/\s+/g, ' ')}`);
}
