/**
 * The compare-runs panel: one per window, showing the runs last asked for. It sends each run's
 * row, whole event log and resolved config once the page is ready, and again when one of them
 * changes (a compared run may still be running).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import {
  type ComparedRunData,
  type CompareMessage,
  isExperimentsWebviewMessage,
  persistedCompareRunDirs,
} from '../../contract/experiments-protocol';
import { assertNever } from '../../contract/protocol';
import { runPaths } from '../../engine/store/run-folder';
import { dashboardWebviewOptions, WebviewPanelHost } from '../dashboard/webview-panel-host';
import type { RunRegistry } from '../runs/registry';
import { openDashboards } from './table-panel';
import { ExperimentRowCache } from './table-rows';

export const COMPARE_VIEW_TYPE = 'bomf.compareRuns';
const REFRESH_MS = 2000;

/** The run's resolved config, or undefined when it is missing or unreadable (the diff shows '–'). */
function readResolvedConfig(runDir: string): unknown {
  try {
    return parse(fs.readFileSync(runPaths(runDir).config, 'utf8'));
  } catch {
    return undefined;
  }
}

export class ComparePanel extends WebviewPanelHost<CompareMessage> {
  private readonly cache = new ExperimentRowCache();
  private readonly configs = new Map<string, unknown>();
  private runDirs: string[] = [];

  constructor(
    panel: vscode.WebviewPanel,
    private readonly registry: RunRegistry,
    extensionUri: vscode.Uri,
  ) {
    super(panel, extensionUri, 'compare');
    this.disposables.push(
      registry.onDidChange((run) => {
        if (!run || this.runDirs.includes(run.runDir))
          this.scheduleRefresh(REFRESH_MS, () => this.send());
      }),
    );
  }

  show(runDirs: string[]): void {
    this.runDirs = runDirs.map((d) => path.resolve(d));
    this.panel.title = `BOMF: Compare ${runDirs.length} runs`;
    this.panel.reveal();
    this.send();
  }

  protected receive(raw: unknown): void {
    if (!isExperimentsWebviewMessage(raw)) return; // untrusted input: drop anything unexpected
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
      case 'open-runs':
        openDashboards(raw.runDirs);
        return;
      case 'compare-runs':
        this.show(raw.runDirs);
        return;
      default:
        assertNever(raw);
    }
  }

  private send(): void {
    if (!this.ready) return;
    const rows = this.cache.rows(this.registry, Date.now());
    const runs: ComparedRunData[] = [];
    for (const runDir of this.runDirs) {
      const handle = this.registry.get(runDir);
      const row = rows.find((r) => r.runDir === handle?.runDir);
      if (!handle || !row) continue; // a run folder deleted since it was selected
      if (!this.configs.has(runDir)) this.configs.set(runDir, readResolvedConfig(runDir));
      runs.push({ row, events: [...handle.events], config: this.configs.get(runDir) });
    }
    this.post({ type: 'compare', runs });
  }
}

/** Opens (or reuses) the window's compare panel for `runDirs`. */
export class RunComparison implements vscode.Disposable {
  private open: ComparePanel | undefined;

  constructor(
    private readonly registry: RunRegistry,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(runDirs: string[]): void {
    this.open ??= this.adopt(
      vscode.window.createWebviewPanel(
        COMPARE_VIEW_TYPE,
        'BOMF: Compare runs',
        vscode.ViewColumn.Active,
        dashboardWebviewOptions(this.extensionUri),
      ),
    );
    this.open.show(runDirs);
  }

  /** Reopens the comparison a window reload closed, from the run folders the page persisted. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const runDirs = persistedCompareRunDirs(state);
        if (!runDirs || this.open) {
          panel.dispose();
          return;
        }
        this.open = this.adopt(panel);
        this.open.show(runDirs);
      },
    });
  }

  private adopt(panel: vscode.WebviewPanel): ComparePanel {
    const opened = new ComparePanel(panel, this.registry, this.extensionUri);
    opened.onDidDispose(() => {
      if (this.open === opened) this.open = undefined;
    });
    return opened;
  }

  /** `bomf.compareRuns`: the run folders given (from the table), else the user picks two or more. */
  async command(arg?: unknown): Promise<void> {
    let runDirs = Array.isArray(arg) ? arg.filter((d): d is string => typeof d === 'string') : [];
    if (runDirs.length < 2) {
      const picked = await vscode.window.showQuickPick(
        this.registry.all().map((r) => ({ label: r.name, description: r.state, runDir: r.runDir })),
        { canPickMany: true, placeHolder: 'Runs to compare (two or more)' },
      );
      runDirs = (picked ?? []).map((p) => p.runDir);
    }
    if (runDirs.length < 2) {
      if (runDirs.length === 1)
        void vscode.window.showInformationMessage('BOMF: pick two or more runs to compare.');
      return;
    }
    this.show(runDirs);
  }

  dispose(): void {
    this.open?.dispose();
  }
}
