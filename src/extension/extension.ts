/**
 * VS Code host side of BOMF Studio. It never trains in the extension host: runs
 * happen in a child process running the bundled engine (dist/engine.js); this
 * side follows their event logs and shows them.
 */
import * as vscode from 'vscode';
import { registerAnnotationCommands } from './commands/annotation-commands';
import { registerFileCommands } from './commands/file-commands';
import { discoverRuns, registerRunCommands } from './commands/run-commands';
import { pickRun } from './commands/targets';
import { ConfigDiagnostics } from './config/diagnostics';
import { registerLanguageFeatures } from './config/language-features';
import { registerQuickFixes } from './config/quick-fix';
import { openDashboard, registerDashboardSerializer } from './dashboard';
import { Experiments } from './experiments';
import { RunComparison } from './experiments-table/compare-panel';
import { ExperimentsTable } from './experiments-table/table-panel';
import { watchRunEnds } from './run-notifications';
import type { EngineLocation } from './runs/engine-process';
import { RunManager } from './runs/registry';
import { canResume } from './runs/run-model';
import { readSettings } from './settings';
import { RunStatusBar } from './status-bar';
import { ExperimentsTreeProvider } from './tree/tree-provider';

/**
 * Keeps the context keys the package.json `when` clauses read; sets a key only when
 * its value changes (a run emits many events per second).
 */
function contextKeyUpdater(runs: RunManager): () => void {
  const values = new Map<string, boolean>();
  const set = (key: string, value: boolean) => {
    if (values.get(key) === value) return;
    values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  return () => {
    const states = new Set(runs.all().map((r) => r.state));
    set('bomf.hasRuns', states.size > 0);
    set('bomf.hasRunningRun', states.has('running'));
    // A run that failed in its setup is not: resuming repeats the same failure.
    set(
      'bomf.hasResumableRun',
      runs.all().some((r) => canResume(r.model, r.state)),
    );
    set('bomf.hasFinishedRun', states.has('done'));
  };
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('BOMF Studio');
  const location = (): EngineLocation => ({
    enginePath: context.asAbsolutePath('dist/engine.js'),
    nodePath: readSettings().nodePath,
  });
  // The manager reads the Node path when it spawns, so a settings change applies to the next run.
  const runs = new RunManager({
    get location() {
      return location();
    },
    output,
  });
  const updateContextKeys = contextKeyUpdater(runs);
  const experiments = new Experiments();
  const diagnostics = new ConfigDiagnostics();
  const tree = new ExperimentsTreeProvider(experiments, runs);
  const view = vscode.window.createTreeView('bomf.experiments', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const eventLogs = vscode.workspace.createFileSystemWatcher('**/events.jsonl', false, true, true);

  const experimentsTable = new ExperimentsTable(runs, context.extensionUri);
  const comparison = new RunComparison(runs, context.extensionUri);

  context.subscriptions.push(
    output,
    runs,
    experimentsTable,
    experimentsTable.registerSerializer(),
    vscode.commands.registerCommand('bomf.showExperiments', () => experimentsTable.show()),
    comparison,
    comparison.registerSerializer(),
    vscode.commands.registerCommand('bomf.compareRuns', (arg?: unknown) => comparison.command(arg)),
    experiments,
    diagnostics,
    tree,
    view,
    eventLogs,
    new RunStatusBar(runs),
    registerLanguageFeatures(),
    registerQuickFixes(diagnostics),
    registerDashboardSerializer(context, runs),
    ...registerRunCommands({ runs, experiments, diagnostics, output }),
    ...registerFileCommands({ runs, location, output }),
    ...registerAnnotationCommands(runs),
    watchRunEnds(runs),
    vscode.commands.registerCommand('bomf.openDashboard', async (arg?: unknown) => {
      const run = await pickRun(
        runs,
        arg,
        ['running', 'done', 'failed', 'stopped', 'interrupted'],
        'Run to show',
      );
      if (run) openDashboard(context, runs, run.runDir);
    }),
    runs.onDidChange(updateContextKeys),
    // A run started elsewhere (the CLI, another window) appears without a manual refresh.
    eventLogs.onDidCreate(() => void discoverRuns(runs, experiments)),
    experiments.onDidChange(() => void discoverRuns(runs, experiments)),
  );
  updateContextKeys();
  void experiments.refresh();
  output.appendLine(`BOMF Studio ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Every disposable is registered on the context and released by VS Code.
}
