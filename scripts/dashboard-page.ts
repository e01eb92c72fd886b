// A browser page that plays VS Code for the dashboard webview: the real bundle, stylesheet
// and Content-Security-Policy served over HTTP, acquireVsCodeApi stubbed (posted messages
// and state recorded), VS Code's theme variables set by hand. Used by the screenshot
// harness (scripts/dashboard-harness.ts) and the page test (test/unit/webview/page.test.ts).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CompareMessage, ExperimentsHostMessage } from '../src/contract/experiments-protocol';
import type { HostToWebviewMessage, WebviewToHostMessage } from '../src/contract/protocol';
import {
  createNonce,
  renderDashboardHtml,
  type WebviewPage,
} from '../src/extension/dashboard/html';

const root = path.resolve(__dirname, '..');
export const WEBVIEW_BUNDLE = path.join(root, 'dist', 'webview.js');

export type ThemeName = 'light' | 'dark' | 'high-contrast';

/** A subset of VS Code's theme colours, enough for the page and its charts. */
export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
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
export async function startPageServer(
  page: WebviewPage = 'dashboard',
): Promise<{ origin: string; close(): void }> {
  let html = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The CSP names the page's origin, known once the server listens.
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const nonce = createNonce();
  html = renderDashboardHtml({
    cspSource: origin,
    scriptUri: `${origin}/dist/webview.js`,
    styleUri: `${origin}/media/dashboard.css`,
    nonce,
    runDir: page === 'dashboard' ? '/runs/fixture' : '',
    page,
  }).replace('<script nonce', `<script nonce="${nonce}">${STUB}</script>\n<script nonce`);
  return { origin, close: () => server.close() };
}

interface StubWindow {
  __posted: WebviewToHostMessage[];
  __state: unknown;
  __setTheme(theme: unknown): void;
  __host(message: unknown): void;
}

export interface DashboardPage {
  page: Page;
  /** Console errors and warnings, uncaught exceptions and CSP violations. */
  problems: string[];
  setTheme(name: ThemeName): Promise<void>;
  /** Plays the host: delivers a message as VS Code would. */
  send(
    message:
      | HostToWebviewMessage
      | ExperimentsHostMessage
      | CompareMessage
      | Record<string, unknown>,
  ): Promise<void>;
  /** What the page posted to the host so far. */
  posted(): Promise<WebviewToHostMessage[]>;
  state(): Promise<unknown>;
}

/** Opens the dashboard in a new page and waits for its `ready`. */
export async function openDashboardPage(
  browser: Browser,
  origin: string,
  theme: ThemeName = 'light',
): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1700 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium asks every page for /favicon.ico; the webview never does.
    if (m.location().url.endsWith('/favicon.ico')) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(origin);
  const dashboard: DashboardPage = {
    page,
    problems,
    setTheme: async (name) => {
      await page.evaluate((t) => (window as never as StubWindow).__setTheme(t), THEMES[name]);
    },
    send: async (message) => {
      await page.evaluate((m) => (window as never as StubWindow).__host(m), message);
    },
    posted: () => page.evaluate(() => (window as never as StubWindow).__posted),
    state: () => page.evaluate(() => (window as never as StubWindow).__state),
  };
  await dashboard.setTheme(theme);
  await page.waitForFunction(() =>
    (window as never as StubWindow).__posted.some((m) => m.type === 'ready'),
  );
  return dashboard;
}

/**
 * Page coordinates of point `index` of the Pareto chart's first dataset (the evaluations off
 * the front), and the evaluation it stands for: where a test or the harness clicks.
 */
export function paretoPointPosition(
  page: Page,
  index: number,
): Promise<{ x: number; y: number; index: number }> {
  return page.evaluate((i) => {
    const { Chart } = (window as never as { bomfWebview: typeof import('chart.js') }).bomfWebview;
    const canvas = document.querySelector(
      '[data-testid="pareto-chart"] canvas',
    ) as HTMLCanvasElement;
    const chart = Chart.getChart(canvas)!;
    const element = chart.getDatasetMeta(0).data[i]!;
    const raw = chart.data.datasets[0]!.data[i] as unknown as { index: number };
    const box = canvas.getBoundingClientRect();
    return { x: box.left + element.x, y: box.top + element.y, index: raw.index };
  }, index);
}
