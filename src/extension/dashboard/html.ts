/**
 * The dashboard's HTML shell. Everything else is drawn by dist/webview.js. Kept free of the
 * vscode module so it can be tested and reused by the browser harness.
 */
import { randomBytes } from 'node:crypto';

export interface DashboardHtmlOptions {
  /** The webview's `cspSource`: the only origin styles and images may come from. */
  cspSource: string;
  /** URI of dist/webview.js as the webview sees it. */
  scriptUri: string;
  /** URI of media/dashboard.css as the webview sees it. */
  styleUri: string;
  /** Fresh per page load: the only script allowed to run carries it. */
  nonce: string;
  /** The run shown, so the page can persist it for the serializer before any snapshot. */
  runDir: string;
  /** Which page of the bundle to start: a run's dashboard (default), the experiments table, or a comparison of runs. */
  page?: WebviewPage;
}

export type WebviewPage = 'dashboard' | 'experiments' | 'compare';

const PAGE_TITLES: Record<WebviewPage, string> = {
  dashboard: 'BOMF dashboard',
  experiments: 'BOMF experiments',
  compare: 'BOMF compare runs',
};

/** 128 random bits, base64: a CSP nonce must not be guessable (not Math.random). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Strict CSP: nothing loads by default; one nonce'd script; styles and images only from
 * the extension (images also as data: URIs, for exported chart pictures).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderDashboardHtml(o: DashboardHtmlOptions): string {
  const page = o.page ?? 'dashboard';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${PAGE_TITLES[page]}</title>
</head>
<body>
<main id="app" data-testid="${page}" data-page="${page}" data-run-dir="${escapeHtml(o.runDir)}"></main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
