/**
 * Completion and hover for *.bomf.yaml from the experiment JSON Schema (the one
 * schemas/experiment.schema.json is written from), without the YAML extension.
 */
import * as vscode from 'vscode';
import { experimentJsonSchemaText } from '../../engine/config';
import { BOMF_LANGUAGE } from './diagnostics';
import {
  cursorContext,
  itemValuesOf,
  type JsonSchema,
  keyAtOffset,
  keysOf,
  schemaAtPath,
  valuesOf,
} from './schema-walker';

function describe(schema: JsonSchema): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  if (schema.description) md.appendMarkdown(`${schema.description}\n\n`);
  const choices = [...valuesOf(schema), ...itemValuesOf(schema)];
  if (choices.length > 0)
    md.appendMarkdown(`Allowed: ${choices.map((c) => `\`${String(c)}\``).join(', ')}\n\n`);
  if (schema.default !== undefined && typeof schema.default !== 'object')
    md.appendMarkdown(`Default: \`${String(schema.default)}\``);
  return md;
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || schema.properties !== undefined;
}

export function registerLanguageFeatures(): vscode.Disposable {
  const schema = JSON.parse(experimentJsonSchemaText()) as JsonSchema;
  const selector: vscode.DocumentSelector = { language: BOMF_LANGUAGE };

  const completion = vscode.languages.registerCompletionItemProvider(
    selector,
    {
      provideCompletionItems(document, position) {
        const ctx = cursorContext(document.getText(), position.line, position.character);
        if (!ctx) return [];
        const here = schemaAtPath(schema, ctx.path);
        const range = new vscode.Range(position.translate(0, -ctx.prefix.length), position);
        if (ctx.role === 'key') {
          const present = new Set(ctx.present);
          return keysOf(here)
            .filter(({ name }) => !present.has(name))
            .map(({ name, schema: child, required }) => {
              const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Property);
              const indent = ' '.repeat(position.character - ctx.prefix.length + 2);
              item.insertText = new vscode.SnippetString(
                isObjectSchema(child) ? `${name}:\n${indent}$0` : `${name}: $0`,
              );
              item.range = range;
              item.detail = required ? 'required' : undefined;
              item.documentation = describe(child);
              item.sortText = `${required ? 0 : 1}${name}`;
              return item;
            });
        }
        const values = ctx.role === 'item' ? itemValuesOf(here) : valuesOf(here);
        return values.map((value) => {
          const item = new vscode.CompletionItem(
            String(value),
            vscode.CompletionItemKind.EnumMember,
          );
          item.range = range;
          return item;
        });
      },
    },
    ' ',
    '[',
    ',',
  );

  const hover = vscode.languages.registerHoverProvider(selector, {
    provideHover(document, position) {
      const hit = keyAtOffset(document.getText(), document.offsetAt(position));
      if (!hit) return undefined;
      const node = schemaAtPath(schema, hit.path);
      if (!node) return undefined;
      const md = describe(node);
      md.value = `**${hit.path.join('.')}**\n\n${md.value}`;
      return new vscode.Hover(
        md,
        new vscode.Range(document.positionAt(hit.range[0]), document.positionAt(hit.range[1])),
      );
    },
  });

  return vscode.Disposable.from(completion, hover);
}
