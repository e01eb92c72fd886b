/** New Experiment (engine `init` templates) and Export Fused Checkpoint (copy `fused/` or `fuse` new weights). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { trialLogFiles } from '../../engine/lab/trial-logs';
import { resolveInRunFolder } from '../../engine/store/run-folder';
import { type EngineLocation, runEngineOnce } from '../runs/engine-process';
import type { RunManager } from '../runs/registry';
import { exportBaseName, freeFolder } from './export-names';
import { pickRun, requireTrust } from './targets';
import { parseTemplateList } from './templates';

export interface FileCommandDeps {
  runs: RunManager;
  location: () => EngineLocation;
  output: vscode.OutputChannel;
}

async function newExperiment(deps: FileCommandDeps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage(
      'BOMF: open a folder first; experiments are files in the workspace.',
    );
    return;
  }
  const list = await runEngineOnce(deps.location(), ['init', '--list'], folder.uri.fsPath);
  const templates = list.code === 0 ? parseTemplateList(list.stdout) : [];
  if (templates.length === 0) {
    deps.output.appendLine(list.stderr);
    void vscode.window.showErrorMessage(
      `BOMF: could not list the experiment templates (${list.stderr.trim().split('\n')[0] || `exit ${list.code}`}).`,
    );
    return;
  }
  const template = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.name, detail: t.description })),
    { placeHolder: 'Experiment template' },
  );
  if (!template) return;
  const name = await vscode.window.showInputBox({
    prompt: 'File name of the new experiment',
    value: `${template.label}.bomf.yaml`,
    validateInput: (v) =>
      /\.bomf\.ya?ml$/.test(v) ? undefined : 'The name must end in .bomf.yaml',
  });
  if (!name) return;
  const file = path.join(folder.uri.fsPath, name);
  if (fs.existsSync(file)) {
    void vscode.window.showErrorMessage(`BOMF: ${name} already exists.`);
    return;
  }
  const made = await runEngineOnce(
    deps.location(),
    ['init', file, '--template', template.label],
    folder.uri.fsPath,
  );
  if (made.code !== 0) {
    deps.output.appendLine(made.stderr);
    void vscode.window.showErrorMessage(`BOMF: init failed: ${made.stderr.trim().split('\n')[0]}`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}

interface ExportArgs {
  runDir?: string;
  /** From the dashboard's "Export this fused model": fuse these weights anew. */
  weights?: number[];
  /** The fusion-eval those weights come from (names the export). */
  evalIndex?: number;
}

async function exportFused(deps: FileCommandDeps, arg: unknown): Promise<void> {
  const run = await pickRun(
    deps.runs,
    arg,
    ['done', 'stopped', 'failed', 'interrupted', 'running'],
    'Run whose fused model to export',
  );
  if (!run) return;
  const weights = (arg as ExportArgs | undefined)?.weights;
  const target = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Export here',
    title: 'Folder to export the fused model into',
  });
  if (!target?.[0]) return;
  if (Array.isArray(weights)) {
    if (!(await requireTrust('fuse checkpoints'))) return;
    const evalIndex = (arg as ExportArgs | undefined)?.evalIndex;
    const out = freeFolder(target[0].fsPath, exportBaseName(run.model, evalIndex));
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `BOMF: fusing ${weights.length} checkpoints…`,
      },
      () =>
        runEngineOnce(
          deps.location(),
          ['fuse', '--run', run.runDir, '--weights', weights.join(','), '--out', out],
          run.runDir,
        ),
    );
    deps.output.append(result.stderr);
    if (result.code !== 0) {
      void vscode.window.showErrorMessage(
        `BOMF: fuse failed (exit ${result.code}); see the BOMF Studio output.`,
      );
      return;
    }
    void announceExport(`BOMF: fused model written to ${out}.`, out);
    return;
  }
  // The folder comes from the run's event log: confined to the run folder, or a crafted
  // log could make this copy any folder (~/.ssh) to where the user exports.
  if (!(await requireTrust('export a fused model'))) return;
  let fused: string;
  try {
    fused = resolveInRunFolder(run.runDir, run.model.selection?.dir ?? 'fused', 'selection.dir');
  } catch (err) {
    void vscode.window.showErrorMessage(`BOMF: ${(err as Error).message}`);
    return;
  }
  if (!fs.existsSync(fused)) {
    void vscode.window.showErrorMessage(
      `BOMF: ${run.name} has no fused model yet (${fused} is missing).`,
    );
    return;
  }
  const out = freeFolder(target[0].fsPath, exportBaseName(run.model));
  try {
    await fs.promises.cp(fused, out, { recursive: true, errorOnExist: true, force: false });
    void announceExport(`BOMF: fused model copied to ${out}.`, out);
  } catch (err) {
    void vscode.window.showErrorMessage(`BOMF: export failed: ${(err as Error).message}`);
  }
}

/** A trial run as a job: the stdout.log and stderr.log its executor wrote, side by side. */
async function openTrialLog(arg: unknown): Promise<void> {
  const key = arg as { runDir?: unknown; trial?: unknown } | undefined;
  if (typeof key?.runDir !== 'string' || typeof key.trial !== 'number') {
    void vscode.window.showInformationMessage('BOMF: pick a trial in the BOMF side panel.');
    return;
  }
  const logs = trialLogFiles(key.runDir, key.trial);
  if (logs.length === 0) {
    void vscode.window.showInformationMessage(
      `BOMF: trial ${key.trial} has no logs in ${key.runDir} yet; a trial trained inside the engine (one local slot) has none.`,
    );
    return;
  }
  for (const [i, log] of logs.entries()) {
    await vscode.window.showTextDocument(vscode.Uri.file(log), {
      preview: false,
      ...(i > 0 ? { viewColumn: vscode.ViewColumn.Beside } : {}),
    });
  }
}

async function announceExport(message: string, folder: string): Promise<void> {
  const reveal = 'Reveal';
  if ((await vscode.window.showInformationMessage(message, reveal)) !== reveal) return;
  const uri = vscode.Uri.file(folder);
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}

export function registerFileCommands(deps: FileCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bomf.openTrialLog', openTrialLog),
    vscode.commands.registerCommand('bomf.newExperiment', () => newExperiment(deps)),
    vscode.commands.registerCommand('bomf.exportFusedCheckpoint', (arg?: unknown) =>
      exportFused(deps, arg),
    ),
  ];
}
