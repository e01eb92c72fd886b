/**
 * In-editor diagnostics for *.bomf.yaml from the engine's own validator (the
 * same function and data checks `bomf validate` runs), updated as the user
 * types, debounced.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ConfigDiagnostic, validateConfigText } from '../../engine/config';

export const BOMF_LANGUAGE = 'bomf-yaml';
const DEBOUNCE_MS = 300;

/** Converts 1-based validator positions to a VS Code range; an empty range grows to the word. */
export function toRange(d: ConfigDiagnostic, document: vscode.TextDocument): vscode.Range {
  const start = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.column - 1));
  const end = new vscode.Position(Math.max(0, d.endLine - 1), Math.max(0, d.endColumn - 1));
  if (!start.isEqual(end)) return new vscode.Range(start, end);
  return (
    document.getWordRangeAtPosition(start) ??
    document.lineAt(Math.min(start.line, document.lineCount - 1)).range
  );
}

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('bomf');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The latest validator output per document, for the quick fixes its hints offer. */
  private readonly latest = new Map<string, ConfigDiagnostic[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.validate(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.latest.delete(d.uri.toString());
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.validate(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (document.languageId !== BOMF_LANGUAGE) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validate(document);
      }, DEBOUNCE_MS),
    );
  }

  /** Validates now and returns the diagnostics (the Validate Config command reports them). */
  validate(document: vscode.TextDocument): ConfigDiagnostic[] {
    if (document.languageId !== BOMF_LANGUAGE) return [];
    const file = document.uri.fsPath;
    const baseDir = document.uri.scheme === 'file' ? path.dirname(file) : undefined;
    let found: ConfigDiagnostic[];
    try {
      // The data checks (columns, labels, field counts) are cached on the files' size and
      // mtime, so re-validating as the user types re-reads data only when it changed.
      found = validateConfigText(document.getText(), file, {
        baseDir,
        data: baseDir !== undefined,
      }).diagnostics;
    } catch (err) {
      found = [
        {
          file,
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          severity: 'error',
          path: '',
          message: `validator failed: ${(err as Error).message}`,
        },
      ];
    }
    this.latest.set(document.uri.toString(), found);
    this.collection.set(
      document.uri,
      found.map((d) => {
        const severity =
          d.severity === 'error'
            ? vscode.DiagnosticSeverity.Error
            : vscode.DiagnosticSeverity.Warning;
        const diagnostic = new vscode.Diagnostic(toRange(d, document), d.message, severity);
        diagnostic.source = 'bomf';
        if (d.path) diagnostic.code = d.path;
        return diagnostic;
      }),
    );
    return found;
  }

  /** What the validator last reported for `document` (empty before its first validation). */
  latestFor(document: vscode.TextDocument): readonly ConfigDiagnostic[] {
    return this.latest.get(document.uri.toString()) ?? [];
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
