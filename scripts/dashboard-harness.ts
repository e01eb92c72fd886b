// Renders the dashboard webview outside VS Code, in headless Chromium, against a recorded
// event log: the real bundle, stylesheet and Content-Security-Policy, with acquireVsCodeApi
// stubbed and VS Code's theme variables set by hand. Saves screenshots in light, dark and
// high-contrast themes, clicks a Pareto point and "Export this fused model", and streams
// thousands of delta events to time the live path.
//
// Usage (after `npm run build`):
//   node --import tsx scripts/dashboard-harness.ts [events.jsonl] [--out DIR] [--stress N]
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { type BomfEvent, parseEventLog } from '../src/engine/events';
import { createNonce, renderDashboardHtml } from '../src/extension/dashboard/html';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1]! : fallback;
};
const outDir = path.resolve(flag('--out', path.join(root, 'test-results', 'dashboard')));
const stressCount = Number(flag('--stress', '5000'));
const logFile = path.resolve(
  args[0] ?? path.join(root, 'test', 'fixtures', 'events', 'finished-run.jsonl'),
);

/** A subset of VS Code's theme colours, enough for the page and its charts. */
const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      foreground: '#3b3b3b',
      'editor-background': '#ffffff',
      descriptionForeground: '#717171',
      'panel-border': '#e5e5e5',
      'charts-foreground': '#616161',
      'charts-lines': 'rgba(97,97,97,0.25)',
      'charts-red': '#e51400',
      'charts-blue': '#1a85ff',
      'charts-yellow': '#bf8803',
      'charts-orange': '#d18616',
      'charts-green': '#388a34',
      'charts-purple': '#652d90',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'dropdown-background': '#ffffff',
      'dropdown-foreground': '#3b3b3b',
      'dropdown-border': '#cecece',
      focusBorder: '#005fb8',
      errorForeground: '#f85149',
      'sideBar-background': '#f8f8f8',
      'list-inactiveSelectionBackground': '#e4e6f1',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      foreground: '#cccccc',
      'editor-background': '#1f1f1f',
      descriptionForeground: '#9d9d9d',
      'panel-border': '#2b2b2b',
      'charts-foreground': '#cccccc',
      'charts-lines': 'rgba(204,204,204,0.25)',
      'charts-red': '#f14c4c',
      'charts-blue': '#3794ff',
      'charts-yellow': '#cca700',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
      'charts-purple': '#b180d7',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'dropdown-background': '#313131',
      'dropdown-foreground': '#cccccc',
      'dropdown-border': '#3c3c3c',
      focusBorder: '#0078d4',
      errorForeground: '#f85149',
      'sideBar-background': '#181818',
      'list-inactiveSelectionBackground': '#37373d',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-dark vscode-high-contrast',
    vars: {
      foreground: '#ffffff',
      'editor-background': '#000000',
      descriptionForeground: '#ffffff',
      'panel-border': '#6fc3df',
      contrastBorder: '#6fc3df',
      'charts-foreground': '#ffffff',
      'charts-lines': 'rgba(255,255,255,0.5)',
      'charts-red': '#f14c4c',
      'charts-blue': '#3794ff',
      'charts-yellow': '#ffd700',
      'charts-orange': '#f38518',
      'charts-green': '#89d185',
      'charts-purple': '#b180d7',
      'button-background': '#000000',
      'button-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'dropdown-background': '#000000',
      'dropdown-foreground': '#ffffff',
      'dropdown-border': '#6fc3df',
      focusBorder: '#f38518',
      errorForeground: '#f48771',
      'sideBar-background': '#000000',
    },
  },
};

/** Plays VS Code: the page's acquireVsCodeApi, theme switching, and the host's messages. */
const STUB = `
window.__posted = [];
window.__state = undefined;
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => window.__state,
  setState: (s) => { window.__state = s; },
});
window.__setTheme = (theme) => {
  for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty('--vscode-' + k, v);
  document.documentElement.style.setProperty('--vscode-font-family', 'system-ui, "Segoe UI", sans-serif');
  document.documentElement.style.setProperty('--vscode-font-size', '13px');
  document.body.className = theme.bodyClass;
};
window.__host = (m) => window.postMessage(m, '*');
window.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
`;

/** Serves the page at / and files under dist/ and media/ (nothing else, like localResourceRoots). */
function serve(page: () => string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page());
      return;
    }
    const file = path.join(root, path.normalize(url.pathname));
    const allowed = ['dist', 'media'].some((d) => file.startsWith(path.join(root, d) + path.sep));
    if (!allowed || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  const parsed = parseEventLog(fs.readFileSync(logFile, 'utf8'));
  const events: BomfEvent[] = parsed.events;
  fs.mkdirSync(outDir, { recursive: true });
  const nonce = createNonce();
  let html = '';
  const server = await serve(() => html);
  // The CSP names the page's origin, known once the server listens.
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  html = renderDashboardHtml({
    cspSource: origin,
    scriptUri: `${origin}/dist/webview.js`,
    styleUri: `${origin}/media/dashboard.css`,
    nonce,
    runDir: '/runs/fixture',
  }).replace('<script nonce', `<script nonce="${nonce}">${STUB}</script>\n<script nonce`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  });
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1700 } });
    page.on('console', (m) => {
      // Chromium asks every page for /favicon.ico; the webview never does.
      if (m.location().url.endsWith('/favicon.ico')) return;
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(origin);
    await page.evaluate(
      (t) => (window as never as { __setTheme(t: unknown): void }).__setTheme(t),
      THEMES.light,
    );
    await page.waitForFunction(() =>
      (window as never as { __posted: { type: string }[] }).__posted.some(
        (m) => m.type === 'ready',
      ),
    );
    await page.evaluate(
      (snapshot) => (window as never as { __host(m: unknown): void }).__host(snapshot),
      {
        type: 'snapshot',
        runDir: '/runs/fixture',
        name: events[0]?.type === 'run-start' ? events[0].name : 'run',
        state: 'done',
        events,
        lastSeq: events.at(-1)?.seq ?? -1,
      },
    );
    await page.waitForSelector('[data-testid="pareto-chart"][data-points]');
    await page.waitForTimeout(300);
    const points = await page.getAttribute('[data-testid="pareto-chart"]', 'data-points');
    const methods = await page.$$eval('[data-testid="results-table"] tr[data-method]', (rows) =>
      rows.map((r) => r.getAttribute('data-method')),
    );
    console.log(`pareto points: ${points}; results rows: ${methods.join(', ')}`);
    for (const theme of ['light', 'dark', 'high-contrast']) {
      await page.evaluate(
        (t) => (window as never as { __setTheme(t: unknown): void }).__setTheme(t),
        THEMES[theme],
      );
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(outDir, `dashboard-${theme}.png`), fullPage: true });
    }

    // Click a non-chosen Pareto point, check the details follow, and export it.
    const clicked = await page.evaluate(() => {
      const { Chart } = (window as never as { bomfWebview: typeof import('chart.js') }).bomfWebview;
      const canvas = document.querySelector(
        '[data-testid="pareto-chart"] canvas',
      ) as HTMLCanvasElement;
      const chart = Chart.getChart(canvas)!;
      // Dataset 0 holds the evaluations off the front.
      const element = chart.getDatasetMeta(0).data[0]!;
      const raw = chart.data.datasets[0]!.data[0] as unknown as { index: number };
      const box = canvas.getBoundingClientRect();
      return { x: box.left + element.x, y: box.top + element.y, index: raw.index };
    });
    await page.mouse.click(clicked.x, clicked.y);
    await page.waitForTimeout(100);
    const heading = await page.textContent('[data-testid="pareto-details"] h3');
    if (heading !== `Evaluation #${clicked.index}`)
      problems.push(`details show '${heading}' after clicking evaluation ${clicked.index}`);
    await page.screenshot({
      path: path.join(outDir, 'dashboard-selected.png'),
      clip: { x: 0, y: 0, width: 1280, height: 560 },
    });
    await page.click('[data-testid="export-fused"]');
    const posted = await page.evaluate(() => (window as never as { __posted: unknown[] }).__posted);
    const state = await page.evaluate(() => (window as never as { __state: unknown }).__state);
    console.log('posted by the page:', JSON.stringify(posted));
    console.log('persisted state:', JSON.stringify(state));

    // Another pair of axes (the fixture reports two metrics).
    await page.selectOption('[data-testid="pareto-y-axis"]', 'metric:f1');
    await page.waitForTimeout(100);
    await page.screenshot({
      path: path.join(outDir, 'dashboard-axes-f1.png'),
      clip: { x: 0, y: 0, width: 1280, height: 560 },
    });

    // Live path: a running run receiving many small deltas.
    const live = await browser.newPage({ viewport: { width: 1280, height: 1700 } });
    live.on('pageerror', (e) => problems.push(String(e)));
    await live.goto(origin);
    await live.evaluate(
      (t) => (window as never as { __setTheme(t: unknown): void }).__setTheme(t),
      THEMES.dark,
    );
    const head = events
      .filter((e) => e.type === 'run-start' || e.type === 'stage-start')
      .slice(0, 1);
    await live.evaluate(
      (snapshot) => (window as never as { __host(m: unknown): void }).__host(snapshot),
      {
        type: 'snapshot',
        runDir: '/runs/live',
        name: 'live',
        state: 'running',
        events: head,
        lastSeq: head.length - 1,
      },
    );
    const ms = await live.evaluate(async (n) => {
      const w = window as never as { __host(m: unknown): void };
      const t0 = performance.now();
      const longTasks: { at: number; ms: number }[] = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push({ at: e.startTime - t0, ms: e.duration });
      }).observe({ type: 'longtask' });
      let seq = 1;
      for (let start = 0; start < n; start += 50) {
        const batch = [];
        for (let i = start; i < Math.min(n, start + 50); i++) {
          batch.push({
            seq: seq++,
            time: '',
            type: 'train-progress',
            stage: 'train',
            step: i + 1,
            totalSteps: n,
            epoch: 0,
            loss: 2 * Math.exp(-i / (n / 4)) + 0.1 * Math.random(),
            learningRate: 1e-5,
          });
        }
        w.__host({ type: 'events', fromSeq: batch[0]!.seq, events: batch });
        await new Promise((r) => setTimeout(r, 0));
      }
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { total: performance.now() - t0, longTasks };
    }, stressCount);
    await live.screenshot({
      path: path.join(outDir, 'dashboard-live-stress.png'),
      fullPage: false,
    });
    const worst = Math.max(0, ...ms.longTasks.map((t) => t.ms));
    console.log(
      `streamed ${stressCount} train-progress events in ${Math.ceil(stressCount / 50)} deltas: ` +
        `${ms.total.toFixed(0)} ms in all; ${ms.longTasks.length} tasks over 50 ms, longest ${worst.toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length > 0) {
    console.error(`page problems:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
  console.log(`screenshots in ${path.relative(process.cwd(), outDir)}`);
}

void main();
