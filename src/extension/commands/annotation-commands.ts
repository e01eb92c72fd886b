/** Label Run… and Add Note… from the tree (or the palette): kept in the run folder, append-only. */
import * as vscode from 'vscode';
import type { RunManager } from '../runs/registry';
import type { RunState } from '../runs/run-model';
import { pickRun } from './targets';

const ANY_STATE: readonly RunState[] = ['running', 'done', 'failed', 'stopped', 'interrupted'];

export function registerAnnotationCommands(runs: RunManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bomf.labelRun', async (arg?: unknown) => {
      const run = await pickRun(runs, arg, ANY_STATE, 'Run to label');
      if (!run) return;
      const label = await vscode.window.showInputBox({
        title: `Label ${run.name}`,
        prompt:
          'Shown before the run’s name everywhere. Empty clears it; earlier labels stay in annotations.jsonl.',
        value: run.model.annotations.label ?? '',
      });
      if (label === undefined) return;
      runs.annotate(run.runDir, 'label', label.trim());
    }),
    vscode.commands.registerCommand('bomf.addRunNote', async (arg?: unknown) => {
      const run = await pickRun(runs, arg, ANY_STATE, 'Run to add a note to');
      if (!run) return;
      const note = await vscode.window.showInputBox({
        title: `Note on ${run.name}`,
        prompt: 'Kept in the run folder (annotations.jsonl) and shown in the run’s tooltip.',
      });
      if (!note?.trim()) return;
      runs.annotate(run.runDir, 'note', note.trim());
    }),
  ];
}
