/**
 * The dashboard webview's host side: one panel per run folder, restored after a reload by
 * a serializer from the run folder the page persisted with `setState`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { persistedRunDir } from '../../contract/protocol';
import type { RunRegistry } from '../runs/registry';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './dashboard-panel';
import { dashboardWebviewOptions } from './webview-panel-host';

export { DASHBOARD_VIEW_TYPE } from './dashboard-panel';

/** Open panels per extension activation, keyed by resolved run folder. */
const panelsByContext = new WeakMap<vscode.ExtensionContext, Map<string, DashboardPanel>>();

function panelsOf(context: vscode.ExtensionContext): Map<string, DashboardPanel> {
  let panels = panelsByContext.get(context);
  if (!panels) {
    panels = new Map();
    panelsByContext.set(context, panels);
  }
  return panels;
}

function track(context: vscode.ExtensionContext, dashboard: DashboardPanel): void {
  const panels = panelsOf(context);
  panels.set(dashboard.runDir, dashboard);
  dashboard.onDidDispose(() => {
    if (panels.get(dashboard.runDir) === dashboard) panels.delete(dashboard.runDir);
  });
}

/** Shows the dashboard of the run in `runDir`, revealing its panel when one is open. */
export function openDashboard(
  context: vscode.ExtensionContext,
  registry: RunRegistry,
  runDir: string,
): void {
  const key = path.resolve(runDir);
  const open = panelsOf(context).get(key);
  if (open) {
    open.reveal();
    return;
  }
  const name = registry.get(key)?.name ?? path.basename(key);
  const panel = vscode.window.createWebviewPanel(
    DASHBOARD_VIEW_TYPE,
    `BOMF: ${name}`,
    vscode.ViewColumn.Active,
    dashboardWebviewOptions(context.extensionUri),
  );
  track(context, new DashboardPanel(panel, registry, key, context.extensionUri));
}

/**
 * Restores dashboards after a window reload. Needs `onWebviewPanel:bomf.dashboard` among
 * the extension's activation events.
 */
export function registerDashboardSerializer(
  context: vscode.ExtensionContext,
  registry: RunRegistry,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const runDir = persistedRunDir(state);
      if (runDir === undefined) {
        panel.dispose(); // nothing says which run it showed
        return;
      }
      const key = path.resolve(runDir);
      const existing = panelsOf(context).get(key);
      if (existing) {
        panel.dispose();
        existing.reveal();
        return;
      }
      track(context, new DashboardPanel(panel, registry, key, context.extensionUri));
    },
  });
}
