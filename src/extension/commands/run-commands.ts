/** Run Experiment, Stop Run, Resume Run, Reveal Run Folder, Validate Config. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigDiagnostics } from '../config/diagnostics';
import { type Experiments, runsRootOf } from '../experiments';
import type { RunManager } from '../runs/registry';
import { canResume, setupFailure } from '../runs/run-model';
import { readSettings } from '../settings';
import { pickConfig, pickRun, requireTrust } from './targets';

export interface RunCommandDeps {
  runs: RunManager;
  experiments: Experiments;
  diagnostics: ConfigDiagnostics;
  output: vscode.OutputChannel;
}

/** Focuses the Problems panel; 'workbench.actions.view.problems' toggles it, closing it when open. */
function showProblems(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.panel.markers.view.focus');
}

async function validateBeforeRun(deps: RunCommandDeps, uri: vscode.Uri): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.isDirty) await document.save();
  const errors = deps.diagnostics.validate(document).filter((d) => d.severity === 'error');
  if (errors.length === 0) return true;
  const first = errors[0];
  void vscode.window.showErrorMessage(
    `BOMF: ${path.basename(uri.fsPath)} has ${errors.length} error${errors.length > 1 ? 's' : ''} (first: line ${first.line}: ${first.message}). Fix them before running.`,
  );
  await showProblems();
  return false;
}

export function registerRunCommands(deps: RunCommandDeps): vscode.Disposable[] {
  const { runs, experiments, output } = deps;
  return [
    vscode.commands.registerCommand('bomf.runExperiment', async (arg?: unknown) => {
      if (!(await requireTrust('run an experiment'))) return;
      const uri = await pickConfig(experiments, arg);
      if (!uri || !(await validateBeforeRun(deps, uri))) return;
      const settings = readSettings(uri);
      const configFile = uri.fsPath;
      const runsRoot = settings.runsDirectory
        ? await runsRootOf(configFile, settings.runsDirectory)
        : undefined;
      try {
        const run = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `BOMF: starting ${path.basename(configFile)}…`,
          },
          () => runs.startRun(configFile, runsRoot, path.dirname(configFile)),
        );
        void vscode.window.showInformationMessage(
          `BOMF: run ${path.basename(run.runDir)} started.`,
        );
      } catch (err) {
        output.show(true);
        void vscode.window.showErrorMessage(`BOMF: ${(err as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('bomf.stopRun', async (arg?: unknown) => {
      const run = await pickRun(runs, arg, ['running'], 'Run to stop');
      if (!run) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `BOMF: stopping ${run.name}` },
        () => runs.stop(run.runDir, readSettings().stopGraceMs),
      );
    }),
    vscode.commands.registerCommand('bomf.resumeRun', async (arg?: unknown) => {
      if (!(await requireTrust('resume a run'))) return;
      // A run that failed in its setup is not listed: resuming would fail the same way.
      const run = await pickRun(
        runs,
        arg,
        ['interrupted', 'stopped', 'failed'],
        'Run to resume',
        (r) => canResume(r.model, r.state),
      );
      const setup = run && setupFailure(run.model);
      if (setup !== undefined) {
        void vscode.window.showErrorMessage(
          `BOMF: ${run!.name} failed before training (${setup}). Resuming would repeat it with the same config: fix the config or its data and run it again.`,
        );
        return;
      }
      if (!run) return;
      try {
        await runs.resumeRun(run.runDir, path.dirname(run.model.start?.configFile ?? run.runDir));
      } catch (err) {
        output.show(true);
        void vscode.window.showErrorMessage(`BOMF: ${(err as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('bomf.revealRunFolder', async (arg?: unknown) => {
      const run = await pickRun(
        runs,
        arg,
        ['running', 'done', 'failed', 'stopped', 'interrupted', 'unsupported'],
        'Run folder to reveal',
      );
      if (!run) return;
      const uri = vscode.Uri.file(run.runDir);
      // Inside the workspace the Explorer works everywhere (also in a browser); else the OS file manager.
      const command = vscode.workspace.getWorkspaceFolder(uri)
        ? 'revealInExplorer'
        : 'revealFileInOS';
      await vscode.commands.executeCommand(command, uri);
    }),
    vscode.commands.registerCommand('bomf.validateConfig', async (arg?: unknown) => {
      const uri = await pickConfig(experiments, arg);
      if (!uri) return;
      const found = deps.diagnostics.validate(await vscode.workspace.openTextDocument(uri));
      const errors = found.filter((d) => d.severity === 'error').length;
      const name = path.basename(uri.fsPath);
      if (found.length === 0) {
        void vscode.window.showInformationMessage(`BOMF: ${name} is valid.`);
        return;
      }
      void vscode.window.showWarningMessage(
        `BOMF: ${name}: ${errors} error(s), ${found.length - errors} warning(s).`,
      );
      await showProblems();
    }),
    vscode.commands.registerCommand('bomf.refresh', async () => {
      await experiments.refresh();
      await discoverRuns(runs, experiments);
    }),
  ];
}

/** Loads the runs of every experiment (and of the runsDirectory setting) from disk. */
export async function discoverRuns(runs: RunManager, experiments: Experiments): Promise<void> {
  const roots = new Set<string>();
  for (const e of experiments.all)
    roots.add(await runsRootOf(e.configFile, readSettings().runsDirectory));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const configured = readSettings(folder.uri).runsDirectory;
    roots.add(path.resolve(folder.uri.fsPath, configured || 'runs'));
  }
  for (const root of roots) await runs.discover(root);
}
