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
import { dashboardWebviewOptions, loadWebviewPage } from '../dashboard/dashboard-panel';
import type { RunRegistry } from '../runs/registry';
import { ExperimentRowCache } from './table-rows';

export const EXPERIMENTS_VIEW_TYPE = 'bomf.experimentsTable';

/** Runs stream events many times a second; the table needs no more than one redraw a second. */
const REFRESH_MS = 1000;

export class ExperimentsTablePanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly cache = new ExperimentRowCache();
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly registry: RunRegistry,
    extensionUri: vscode.Uri,
  ) {
    const webview = panel.webview;
    loadWebviewPage(webview, extensionUri, 'experiments');
    this.disposables.push(
      this.disposeEmitter,
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      registry.onDidChange(() => this.scheduleRefresh()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    const disposables = this.disposables.splice(0);
    this.disposeEmitter.fire();
    for (const d of disposables) d.dispose();
    this.panel.dispose();
  }

  private receive(raw: unknown): void {
    if (!isExperimentsWebviewMessage(raw)) return; // untrusted input: drop anything unexpected
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.sendRows();
        return;
      case 'open-runs':
        for (const runDir of raw.runDirs) {
          void vscode.commands.executeCommand('bomf.openDashboard', { runDir });
        }
        return;
      case 'compare-runs':
        void vscode.commands.executeCommand('bomf.compareRuns', raw.runDirs);
        return;
      default:
        assertNever(raw);
    }
  }

  private scheduleRefresh(): void {
    if (this.timer || !this.ready) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendRows();
    }, REFRESH_MS);
  }

  private sendRows(): void {
    if (!this.ready) return;
    const message: ExperimentsHostMessage = {
      type: 'experiments',
      rows: this.cache.rows(this.registry, Date.now()),
    };
    void this.panel.webview.postMessage(message);
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
