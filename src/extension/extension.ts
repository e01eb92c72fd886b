/**
 * VS Code host side of BOMF Studio. It never trains in the extension host: runs
 * happen in a child process running the bundled engine (dist/engine.js).
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('BOMF Studio');
  context.subscriptions.push(output);
  output.appendLine(`BOMF Studio ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Every disposable is registered on the context and released by VS Code.
}
