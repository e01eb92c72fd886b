/**
 * Browser entry of the dashboard webview (bundled to dist/webview.js as an IIFE with
 * Chart.js, so the page loads no remote content). It starts the page only inside a
 * webview, which lets the bundle smoke test evaluate it without a DOM.
 */
import { Chart } from 'chart.js';
import type {
  ComparePersistedState,
  ExperimentsPersistedState,
  ExperimentsWebviewMessage,
} from '../contract/experiments-protocol';
import { startDashboard } from './view/app';
import { startCompare } from './view/compare-page';
import { startExperimentsTable } from './view/experiments-page';
import { connectToHost, hasVsCodeApi } from './view/vscode-api';

/** Exposed for the bundle smoke test. */
export const chartJsVersion: string = Chart.version;

/** Exposed so a test harness can find chart instances (`Chart.getChart(canvas)`). */
export { Chart };

if (typeof document !== 'undefined' && hasVsCodeApi()) {
  const root = document.getElementById('app');
  // One bundle serves every page; the host's HTML names which one (html.ts, data-page).
  if (root?.dataset.page === 'experiments') {
    startExperimentsTable(
      connectToHost<ExperimentsWebviewMessage, ExperimentsPersistedState>(),
      root,
    );
  } else if (root?.dataset.page === 'compare') {
    startCompare(connectToHost<ExperimentsWebviewMessage, ComparePersistedState>(), root);
  } else if (root) startDashboard(connectToHost(), root);
}
