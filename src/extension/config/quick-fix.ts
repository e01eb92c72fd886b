/** Quick fixes for *.bomf.yaml: a misspelt key or value becomes the validator's "did you mean" suggestion. */
import * as vscode from 'vscode';
import { BOMF_LANGUAGE, type ConfigDiagnostics } from './diagnostics';
import { suggestionEdit } from './suggestion-edit';

export function registerQuickFixes(diagnostics: ConfigDiagnostics): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { language: BOMF_LANGUAGE },
    {
      provideCodeActions(document, _range, context) {
        const actions: vscode.CodeAction[] = [];
        for (const shown of context.diagnostics) {
          if (shown.source !== 'bomf') continue;
          // Messages are unique per document (the validator drops repeats), so they pair
          // what the editor shows with the validator's output and its suggestion.
          const found = diagnostics.latestFor(document).find((d) => d.message === shown.message);
          const edit = found && suggestionEdit(document.getText(), found);
          if (!found?.suggestion || !edit) continue;
          const action = new vscode.CodeAction(
            `Change '${found.suggestion.wrong}' to '${edit.newText}'`,
            vscode.CodeActionKind.QuickFix,
          );
          action.diagnostics = [shown];
          action.isPreferred = true;
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(
            document.uri,
            new vscode.Range(edit.line, edit.character, edit.endLine, edit.endCharacter),
            edit.newText,
          );
          actions.push(action);
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
