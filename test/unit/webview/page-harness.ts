// One headless Chromium and page server per page-test file: the dashboard's, the experiments
// table's and the comparison's page tests open their page through it. Needs `npm run build`
// (dist/webview.js) and Debian's chromium; `skip` says why a test cannot run otherwise.
import * as fs from 'node:fs';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  type DashboardPage,
  openDashboardPage,
  startPageServer,
  WEBVIEW_BUNDLE,
} from '../../../scripts/dashboard-page';
import type { WebviewPage } from '../../../src/extension/dashboard/html';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const skip = !fs.existsSync(chromiumPath)
  ? `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`
  : !fs.existsSync(WEBVIEW_BUNDLE)
    ? 'dist/webview.js is missing: run npm run build first'
    : false;

/** Starts Chromium and a server for `page` before the file's tests; `open()` loads a fresh tab. */
export function pageHarness(page: WebviewPage): { open(): Promise<DashboardPage> } {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof startPageServer>> | undefined;
  before(async () => {
    if (skip) return;
    const { chromium } = await import('playwright-core');
    server = await startPageServer(page);
    browser = await chromium.launch({ executablePath: chromiumPath });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return { open: () => openDashboardPage(browser!, server!.origin) };
}
