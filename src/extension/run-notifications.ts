/**
 * A notification when a run this window watches ends: Open Dashboard, and for a failure
 * Show Error, which opens events.jsonl at the error that ended it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { endNotice, lastErrorLine } from './runs/end-notice';
import type { RunManager } from './runs/registry';
import type { RunState } from './runs/run-model';
import type { RunSession } from './runs/run-session';

export function watchRunEnds(runs: RunManager): vscode.Disposable {
  const last = new Map<string, RunState>();
  // Runs already known (found on disk, already ended) are not news.
  for (const run of runs.all()) last.set(run.runDir, run.state);
  const check = (run: RunSession) => {
    const notice = endNotice(last.get(run.runDir), run.state, run.model);
    last.set(run.runDir, run.state);
    if (notice) void show(run, notice.severity, notice.message, notice.showError);
  };
  return runs.onDidChange((changed) => {
    if (changed) {
      const session = runs.get(changed.runDir);
      if (session) check(session);
    } else for (const run of runs.all()) check(run);
  });
}

async function show(
  run: RunSession,
  severity: 'info' | 'error',
  message: string,
  offerError: boolean,
): Promise<void> {
  const open = 'Open Dashboard';
  const showError = 'Show Error';
  const actions = offerError ? [showError, open] : [open];
  const choice =
    severity === 'error'
      ? await vscode.window.showErrorMessage(message, ...actions)
      : await vscode.window.showInformationMessage(message, ...actions);
  if (choice === open) await vscode.commands.executeCommand('bomf.openDashboard', run.runDir);
  if (choice === showError) {
    const line = lastErrorLine(run.events) ?? 1;
    const doc = await vscode.workspace.openTextDocument(path.join(run.runDir, 'events.jsonl'));
    const at = new vscode.Position(line - 1, 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
  }
}
