// Small page helpers for driving the VS Code workbench served by code-server.

/** Polls `check` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (${last.message})` : ''}`,
  );
}

/** Loads the workbench on `folder` and waits until it is interactive. */
export async function openWorkbench(page, url, folder) {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer shows the folder once the workspace is loaded.
  await page.locator('.explorer-folders-view, .pane-header').first().waitFor({ timeout: 60_000 });
}

/** Opens the command palette (F1), clicking the workbench first when the keys go nowhere. */
export async function openPalette(page) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      return input;
    } catch {
      await page.locator('.monaco-workbench').click({ position: { x: 400, y: 5 } });
    }
  }
  throw new Error('the command palette does not open');
}

/**
 * Runs a command by its palette title, e.g. 'BOMF: Run Experiment'. The palette lists
 * the commands known when it opens; right after a (re)load the extension's may come
 * later, so a missing entry is retried with a fresh palette.
 */
export async function runCommand(page, title) {
  for (let attempt = 0; ; attempt++) {
    const input = await openPalette(page);
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: attempt < 3 ? 8000 : 15_000 });
      await row.click();
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(2000);
    }
  }
}

/** The frame of a webview whose document has `selector` (webviews are nested iframes). */
export function findWebviewFrame(page, selector, timeoutMs) {
  return waitFor(
    `a webview with ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        if (
          (await frame
            .locator(selector)
            .count()
            .catch(() => 0)) > 0
        )
          return frame;
      }
      return undefined;
    },
    timeoutMs,
  );
}

const TREE_ROWS = '[id="workbench.view.extension.bomf"] .monaco-list-row';

/** Text of the visible rows of the tree view in the BOMF side bar. */
export async function treeRowTexts(page) {
  return page.locator(TREE_ROWS).allInnerTexts();
}

/** Text of the run rows (second level: experiment → run) of the BOMF tree. */
export async function runRowTexts(page) {
  return page.locator(`${TREE_ROWS}[aria-level="2"]`).allInnerTexts();
}

/** Drags the sash between the side bar and the editor so tree descriptions are readable. */
export async function widenSideBar(page, width) {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** Opens a workspace file by name with Go to File and waits for its editor tab. */
export async function openFile(page, name) {
  await runCommand(page, 'Go to File');
  await page.keyboard.type(name);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: name })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}
