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
  await runRow(page, /done/).click({ button: 'right' });
  await page.locator('.monaco-menu .action-label', { hasText: 'Add Note' }).first().click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
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
