/** A status-bar item for the most recent running run: its stage and progress; click opens its dashboard. */
import * as vscode from 'vscode';
import { timingLine } from '../contract/timing';
import type { RunManager } from './runs/registry';
import { runProgress } from './runs/run-model';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'bomf.activeRun',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly runs: RunManager) {
    this.item.name = 'BOMF Studio run';
    this.subscription = runs.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const running = this.runs.all().filter((r) => r.state === 'running');
    const active = running.sort((a, b) =>
      (b.model.startedAt ?? '').localeCompare(a.model.startedAt ?? ''),
    )[0];
    if (!active) {
      this.item.hide();
      return;
    }
    const stage = active.model.currentStage ?? 'starting';
    const more = running.length > 1 ? ` (+${running.length - 1})` : '';
    const timing = timingLine(active.model, Date.now());
    this.item.text = `$(sync~spin) BOMF ${active.name}: ${stage} ${Math.round(runProgress(active.model) * 100)}%${timing ? ` · ${timing}` : ''}${more}`;
    this.item.tooltip = `${active.runDir}\nClick to open the dashboard`;
    this.item.command = {
      command: 'bomf.openDashboard',
      title: 'Open Dashboard',
      arguments: [active.runDir],
    };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
