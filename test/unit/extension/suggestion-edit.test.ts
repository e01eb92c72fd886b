// The "did you mean" quick fix's edit: exact 0-based range and text, applied to real validator output.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ConfigDiagnostic, validateConfigText } from '../../../src/engine/config';
import { type SuggestionEdit, suggestionEdit } from '../../../src/extension/config/suggestion-edit';

const MINIMAL = `name: demo
data:
  train: train.tsv
  text: sentence
  label: label
`;

function onlyDiagnostic(text: string): ConfigDiagnostic {
  const { diagnostics } = validateConfigText(text, 'demo.bomf.yaml');
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  return diagnostics[0]!;
}

/** Applies a 0-based edit the way an editor does. */
function apply(text: string, e: SuggestionEdit): string {
  const lines = text.split('\n');
  const offset = (line: number, ch: number) =>
    lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + ch;
  return (
    text.slice(0, offset(e.line, e.character)) +
    e.newText +
    text.slice(offset(e.endLine, e.endCharacter))
  );
}

describe('did-you-mean quick fix edit', () => {
  test('a misspelt top-level key is replaced from its first column, colon kept', () => {
    const text = `${MINIMAL}serch:\n  budget: 4\n`;
    const edit = suggestionEdit(text, onlyDiagnostic(text));
    // Off by one either way would eat the 's' or the ':' (or leave 'ssearch').
    assert.deepEqual(edit, {
      line: 5,
      character: 0,
      endLine: 5,
      endCharacter: 5,
      newText: 'search',
    });
    const fixed = apply(text, edit!);
    assert.equal(fixed, `${MINIMAL}search:\n  budget: 4\n`);
    assert.deepEqual(validateConfigText(fixed, 'demo.bomf.yaml').diagnostics, []);
  });

  test('an indented key is replaced at its indentation, not at the line start', () => {
    const text = `${MINIMAL}search:\n  parameters:\n    learningrate: {low: 1.0e-5, high: 1.0e-3}\n`;
    const edit = suggestionEdit(text, onlyDiagnostic(text));
    assert.deepEqual(edit, {
      line: 7,
      character: 4,
      endLine: 7,
      endCharacter: 16,
      newText: 'learningRate',
    });
    assert.match(apply(text, edit!), /\n {4}learningRate: \{low/);
  });

  test('a quoted value keeps its quotes: only the word inside them changes', () => {
    const text = `${MINIMAL}fusion:\n  selection: "knees"\n`;
    const edit = suggestionEdit(text, onlyDiagnostic(text));
    assert.deepEqual(edit, {
      line: 6,
      character: 14,
      endLine: 6,
      endCharacter: 19,
      newText: 'knee',
    });
    assert.equal(apply(text, edit!), `${MINIMAL}fusion:\n  selection: "knee"\n`);
  });

  test('CRLF line endings do not shift the column', () => {
    const text = `${MINIMAL}fusion:\n  selection: knees\n`.replace(/\n/g, '\r\n');
    const edit = suggestionEdit(text, onlyDiagnostic(text));
    assert.deepEqual(edit && [edit.line, edit.character, edit.endCharacter], [6, 13, 18]);
  });

  test('no edit once the text under the diagnostic changed, nor without a suggestion', () => {
    const text = `${MINIMAL}fusion:\n  selection: knees\n`;
    const d = onlyDiagnostic(text);
    assert.equal(suggestionEdit(text.replace('knees', 'kneel'), d), undefined);
    const far = `${MINIMAL}zzzzzzzzzz: 1\n`;
    const unknown = onlyDiagnostic(far);
    assert.equal(unknown.suggestion, undefined, unknown.message);
    assert.equal(suggestionEdit(far, unknown), undefined);
  });
});
