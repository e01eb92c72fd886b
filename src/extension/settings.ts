/** The extension's settings (package.json `contributes.configuration`), read when needed. */
import * as vscode from 'vscode';

export interface BomfSettings {
  /** Empty: the editor's own runtime runs the engine. */
  nodePath: string;
  /** Relative to the workspace folder; empty: each config's `output.dir`. */
  runsDirectory: string;
  stopGraceMs: number;
}

export function readSettings(scope?: vscode.Uri): BomfSettings {
  const config = vscode.workspace.getConfiguration('bomf', scope);
  return {
    nodePath: config.get<string>('nodePath', ''),
    runsDirectory: config.get<string>('runsDirectory', ''),
    stopGraceMs: Math.max(0, config.get<number>('stopGracePeriodSeconds', 10)) * 1000,
  };
}
