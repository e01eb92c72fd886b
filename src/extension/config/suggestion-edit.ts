/**
 * The text edit behind the "did you mean" quick fix: it replaces only the misspelt word
 * inside the diagnostic's range, so quotes around a value and the `:` after a key stay as
 * the user wrote them. Pure (no `vscode`), so the exact range can be unit-tested.
 */
import type { ConfigDiagnostic } from '../../engine/config';

/** 0-based, end exclusive, as VS Code ranges are. */
export interface SuggestionEdit {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  newText: string;
}

/** Offsets of the start of each line (after '\n', so '\r\n' files count the same). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The edit that applies `d.suggestion` to `text`, or undefined when the diagnostic has no
 * suggestion or its range no longer holds the misspelt word (the text changed since it was
 * validated).
 */
export function suggestionEdit(text: string, d: ConfigDiagnostic): SuggestionEdit | undefined {
  if (!d.suggestion) return undefined;
  const starts = lineStarts(text);
  const lineStart = starts[d.line - 1];
  const endLineStart = starts[d.endLine - 1];
  if (lineStart === undefined || endLineStart === undefined) return undefined;
  // Validator positions are 1-based.
  const from = lineStart + d.column - 1;
  const to = endLineStart + d.endColumn - 1;
  const at = text.slice(from, to).indexOf(d.suggestion.wrong);
  if (at === -1) return undefined;
  const wordStart = from + at;
  // The misspelt word is a key or a scalar value: it never spans lines.
  const line = d.line - 1 + (text.slice(from, wordStart).match(/\n/g)?.length ?? 0);
  const character = wordStart - starts[line]!;
  return {
    line,
    character,
    endLine: line,
    endCharacter: character + d.suggestion.wrong.length,
    newText: d.suggestion.replacement,
  };
}
