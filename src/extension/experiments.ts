/**
 * The experiments of the workspace: its *.bomf.yaml files, kept current by a
 * file watcher, and the folders their runs go to.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { ExperimentEntry } from './tree/tree-model';

export const CONFIG_GLOB = '**/*.bomf.{yaml,yml}';
const EXCLUDE = '**/{node_modules,.git,runs}/**';

export class Experiments implements vscode.Disposable {
  private entries: ExperimentEntry[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const rescan = () => void this.refresh();
    this.subscriptions.push(
      this.watcher,
      this.watcher.onDidCreate(rescan),
      this.watcher.onDidDelete(rescan),
      vscode.workspace.onDidChangeWorkspaceFolders(rescan),
    );
  }

  get all(): readonly ExperimentEntry[] {
    return this.entries;
  }

  async refresh(): Promise<void> {
    const uris = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE);
    this.entries = uris
      .map((uri) => ({ configFile: uri.fsPath, label: vscode.workspace.asRelativePath(uri) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    this.changeEmitter.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}

/**
 * Where runs of `configFile` go: the runsDirectory setting (relative to the
 * workspace folder), else the config's `output.dir` (relative to the config).
 */
export async function runsRootOf(configFile: string, runsDirectory: string): Promise<string> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(configFile));
  if (runsDirectory)
    return path.resolve(folder?.uri.fsPath ?? path.dirname(configFile), runsDirectory);
  let dir = 'runs';
  try {
    const text = Buffer.from(
      await vscode.workspace.fs.readFile(vscode.Uri.file(configFile)),
    ).toString('utf8');
    const parsed = parse(text) as { output?: { dir?: unknown } } | null;
    if (typeof parsed?.output?.dir === 'string' && parsed.output.dir) dir = parsed.output.dir;
  } catch {
    // An unreadable or invalid config still has the default runs folder.
  }
  return path.resolve(path.dirname(configFile), dir);
}
