/**
 * The Experiments view. Elements are keys cached by id, so a refresh of one run
 * fires a change for that run's element only and VS Code keeps the selection
 * and the expansion of everything else. Updates are coalesced per run.
 */
import * as vscode from 'vscode';
import type { Experiments } from '../experiments';
import type { RunManager } from '../runs/registry';
import { describeNode } from './node-view';
import { childKeys, keyId, type TreeKey, type TreeSource } from './tree-model';

const REFRESH_DELAY_MS = 250;

export class ExperimentsTreeProvider
  implements vscode.TreeDataProvider<TreeKey>, vscode.Disposable
{
  private readonly changeEmitter = new vscode.EventEmitter<TreeKey | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly keys = new Map<string, TreeKey>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly experiments: Experiments,
    private readonly runs: RunManager,
  ) {
    this.subscriptions.push(
      experiments.onDidChange(() => this.refresh()),
      runs.onDidChange((run) => (run ? this.refreshRun(run.runDir) : this.refresh())),
    );
  }

  source(): TreeSource {
    return {
      experiments: this.experiments.all,
      runs: this.runs.all().map((s) => ({ model: s.model, state: s.state })),
    };
  }

  /** The same object for the same id, so VS Code's element identity holds across refreshes. */
  private canonical(key: TreeKey): TreeKey {
    const id = keyId(key);
    const known = this.keys.get(id);
    if (known) return known;
    this.keys.set(id, key);
    return key;
  }

  refresh(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.changeEmitter.fire(undefined);
  }

  private refreshRun(runDir: string): void {
    if (this.pending.has(runDir)) return;
    this.pending.set(
      runDir,
      setTimeout(() => {
        this.pending.delete(runDir);
        const id = keyId({ kind: 'run', runDir });
        const key = this.keys.get(id);
        // A run the view has not shown yet hangs under an experiment: refresh from the top.
        this.changeEmitter.fire(key);
      }, REFRESH_DELAY_MS),
    );
  }

  getChildren(element?: TreeKey): TreeKey[] {
    return childKeys(this.source(), element).map((k) => this.canonical(k));
  }

  getParent(element: TreeKey): TreeKey | undefined {
    const src = this.source();
    if (element.kind === 'run') {
      const run = src.runs.find((r) => r.model.runDir === element.runDir);
      const exp = src.experiments.find((e) => e.configFile === run?.model.start?.configFile);
      return this.canonical(
        exp ? { kind: 'experiment', configFile: exp.configFile } : { kind: 'other-runs' },
      );
    }
    if (element.kind === 'stage') return this.canonical({ kind: 'run', runDir: element.runDir });
    if (element.kind === 'trial')
      return this.canonical({ kind: 'stage', runDir: element.runDir, stage: 'search' });
    if (element.kind === 'checkpoint')
      return this.canonical({ kind: 'stage', runDir: element.runDir, stage: 'train' });
    if (element.kind === 'fusion')
      return this.canonical({ kind: 'stage', runDir: element.runDir, stage: 'fusion' });
    if (element.kind === 'baseline')
      return this.canonical({ kind: 'stage', runDir: element.runDir, stage: 'baselines' });
    return undefined;
  }

  getTreeItem(element: TreeKey): vscode.TreeItem {
    const view = describeNode(this.source(), element);
    if (!view) return new vscode.TreeItem('(gone)');
    const state = {
      none: vscode.TreeItemCollapsibleState.None,
      collapsed: vscode.TreeItemCollapsibleState.Collapsed,
      expanded: vscode.TreeItemCollapsibleState.Expanded,
    }[view.collapsible];
    const item = new vscode.TreeItem(view.label, state);
    item.id = view.id;
    item.description = view.description;
    item.tooltip = view.tooltip;
    item.contextValue = view.contextValue;
    item.iconPath = new vscode.ThemeIcon(
      view.icon.id,
      view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined,
    );
    if (view.resourcePath) item.resourceUri = vscode.Uri.file(view.resourcePath);
    if (element.kind === 'experiment') {
      item.command = {
        command: 'vscode.open',
        title: 'Open Config',
        arguments: [vscode.Uri.file(element.configFile)],
      };
    } else if (element.kind === 'run') {
      item.command = {
        command: 'bomf.openDashboard',
        title: 'Open Dashboard',
        arguments: [element],
      };
    }
    return item;
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}
