/**
 * Turns a command's argument into what it acts on. Commands are invoked from
 * the palette (no argument), the tree (a TreeKey), the explorer or editor
 * title (a Uri), the status bar (a run folder) and the dashboard ({ runDir }).
 */
import * as vscode from 'vscode';
import type { Experiments } from '../experiments';
import type { RunManager } from '../runs/registry';
import type { RunState } from '../runs/run-model';
import type { RunSession } from '../runs/run-session';

function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (arg && typeof arg === 'object' && 'runDir' in arg && typeof arg.runDir === 'string')
    return arg.runDir;
  return undefined;
}

/**
 * The run an argument names, or one the user picks among runs in `states` that are
 * `eligible` (e.g. only those a resume can help).
 */
export async function pickRun(
  runs: RunManager,
  arg: unknown,
  states: readonly RunState[],
  placeHolder: string,
  eligible: (run: RunSession) => boolean = () => true,
): Promise<RunSession | undefined> {
  const named = runDirOf(arg);
  if (named) return refuseUnsupported(runs.get(named), states);
  const candidates = runs.all().filter((r) => states.includes(r.state) && eligible(r));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`BOMF: no run is ${states.join(' or ')}.`);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({ label: r.name, description: r.state, detail: r.runDir, run: r })),
    { placeHolder },
  );
  return picked?.run;
}

/**
 * A run whose log this build cannot read (another event schema) is refused, saying why,
 * unless the command works on any folder (`states` lists 'unsupported', e.g. Reveal).
 */
function refuseUnsupported(
  run: RunSession | undefined,
  states: readonly RunState[],
): RunSession | undefined {
  if (run?.state !== 'unsupported' || states.includes('unsupported')) return run;
  void vscode.window.showErrorMessage(`BOMF: cannot use run ${run.name}. ${run.model.unsupported}`);
  return undefined;
}

/** The config file an argument names, else the active *.bomf.yaml editor, else one the user picks. */
export async function pickConfig(
  experiments: Experiments,
  arg: unknown,
): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object' && 'configFile' in arg && typeof arg.configFile === 'string') {
    return vscode.Uri.file(arg.configFile);
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'bomf-yaml') return active.uri;
  await experiments.refresh();
  const all = experiments.all;
  if (all.length === 0) {
    const create = 'New Experiment';
    const choice = await vscode.window.showInformationMessage(
      'BOMF: this workspace has no *.bomf.yaml experiment yet.',
      create,
    );
    if (choice === create) await vscode.commands.executeCommand('bomf.newExperiment');
    return undefined;
  }
  if (all.length === 1) return vscode.Uri.file(all[0].configFile);
  const picked = await vscode.window.showQuickPick(
    all.map((e) => ({ label: e.label, uri: vscode.Uri.file(e.configFile) })),
    { placeHolder: 'Experiment to run' },
  );
  return picked?.uri;
}

/**
 * Running trains models on files the config names, in a local process: only in
 * a trusted workspace. Returns false (after saying why) when not trusted.
 */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showErrorMessage(
    `BOMF: cannot ${action} in Restricted Mode. A run reads the data files and model folders its config names and trains in a local engine process, so it needs a trusted workspace. Trust this folder to run experiments; viewing runs and validating configs work without it.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
