/**
 * The experiments table's panel: one per window. It sends the rows when the page is ready and
 * again (debounced) whenever a run changes, and turns the page's Open / Compare requests into
 * the extension's commands.
 */
import * as vscode from 'vscode';
import {
  type ExperimentsHostMessage,
  isExperimentsWebviewMessage,
} from '../../contract/experiments-protocol';
import { assertNever } from '../../contract/protocol';
import { dashboardWebviewOptions, WebviewPanelHost } from '../dashboard/webview-panel-host';
import type { RunRegistry } from '../runs/registry';
import { ExperimentRowCache } from './table-rows';

export const EXPERIMENTS_VIEW_TYPE = 'bomf.experimentsTable';

/** Runs stream events many times a second; the table needs no more than one redraw a second. */
const REFRESH_MS = 1000;

/** The table's and the comparison's Open: one dashboard per run. */
export function openDashboards(runDirs: readonly string[]): void {
  for (const runDir of runDirs)
    void vscode.commands.executeCommand('bomf.openDashboard', { runDir });
}

export class ExperimentsTablePanel extends WebviewPanelHost<ExperimentsHostMessage> {
  private readonly cache = new ExperimentRowCache();

  constructor(
    panel: vscode.WebviewPanel,
    private readonly registry: RunRegistry,
    extensionUri: vscode.Uri,
  ) {
    super(panel, extensionUri, 'experiments');
    this.disposables.push(
      registry.onDidChange(() => this.scheduleRefresh(REFRESH_MS, () => this.sendRows())),
    );
  }

  protected receive(raw: unknown): void {
    if (!isExperimentsWebviewMessage(raw)) return; // untrusted input: drop anything unexpected
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.sendRows();
        return;
      case 'open-runs':
        openDashboards(raw.runDirs);
        return;
      case 'compare-runs':
        void vscode.commands.executeCommand('bomf.compareRuns', raw.runDirs);
        return;
      default:
        assertNever(raw);
    }
  }

  private sendRows(): void {
    if (!this.ready) return;
    this.post({ type: 'experiments', rows: this.cache.rows(this.registry, Date.now()) });
  }
}

/** The window's table, created on first use and restored after a reload by the serializer. */
export class ExperimentsTable implements vscode.Disposable {
  private open: ExperimentsTablePanel | undefined;

  constructor(
    private readonly registry: RunRegistry,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(): void {
    if (this.open) {
      this.open.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      EXPERIMENTS_VIEW_TYPE,
      'BOMF: Experiments',
      vscode.ViewColumn.Active,
      dashboardWebviewOptions(this.extensionUri),
    );
    this.adopt(panel);
  }

  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(EXPERIMENTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        if (this.open) panel.dispose();
        else this.adopt(panel);
      },
    });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    const table = new ExperimentsTablePanel(panel, this.registry, this.extensionUri);
    this.open = table;
    table.onDidDispose(() => {
      if (this.open === table) this.open = undefined;
    });
  }

  dispose(): void {
    this.open?.dispose();
  }
}
