/**
 * Finds what the cursor is on in a BOMF YAML file (a key or a value, and the
 * path of keys above it) and what the JSON Schema says there: the keys allowed,
 * enum values, descriptions. vscode-free; completion and hover wrap it.
 * Hover reads positions from the `yaml` AST; completion works on text being
 * typed (often not valid YAML yet), so it reads the path from indentation.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
}

export type YamlPath = (string | number)[];

/** The sub-schema at `path` (numbers index arrays); undefined when the schema does not allow it. */
export function schemaAtPath(root: JsonSchema, path: YamlPath): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    node = childSchema(node, segment);
  }
  return node;
}

function childSchema(node: JsonSchema, segment: string | number): JsonSchema | undefined {
  for (const alt of alternatives(node)) {
    if (typeof segment === 'number' && alt.items) return alt.items;
    if (typeof segment === 'string') {
      const prop = alt.properties?.[segment];
      if (prop) return prop;
      if (typeof alt.additionalProperties === 'object') return alt.additionalProperties;
    }
  }
  return undefined;
}

/** The schema itself and its anyOf/oneOf branches (one level: enough for TypeBox unions). */
function alternatives(node: JsonSchema): JsonSchema[] {
  return [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
}

/** Keys an object schema allows, with their descriptions, required first. */
export function keysOf(
  node: JsonSchema | undefined,
): { name: string; schema: JsonSchema; required: boolean }[] {
  if (!node) return [];
  const out: { name: string; schema: JsonSchema; required: boolean }[] = [];
  for (const alt of alternatives(node)) {
    for (const [name, schema] of Object.entries(alt.properties ?? {})) {
      if (name === '$schema' || out.some((k) => k.name === name)) continue;
      out.push({ name, schema, required: alt.required?.includes(name) ?? false });
    }
  }
  return out.sort((a, b) => Number(b.required) - Number(a.required));
}

/** Allowed literal values (enum, const, unions of consts, booleans); for arrays, of their items. */
export function valuesOf(node: JsonSchema | undefined): unknown[] {
  if (!node) return [];
  const values: unknown[] = [];
  const add = (v: unknown) => {
    if (!values.includes(v)) values.push(v);
  };
  for (const alt of alternatives(node)) {
    alt.enum?.forEach(add);
    if (alt.const !== undefined) add(alt.const);
    if (alt.type === 'boolean') [true, false].forEach(add);
    if (alt !== node && alt.anyOf) valuesOf(alt).forEach(add);
  }
  return values;
}

/** Values of the items when the schema is an array (e.g. `metrics: [accuracy, f1]`). */
export function itemValuesOf(node: JsonSchema | undefined): unknown[] {
  return node?.items ? valuesOf(node.items) : [];
}

export interface CursorContext {
  /** Path of the mapping that holds the key (role 'key') or of the value (role 'value'). */
  path: YamlPath;
  role: 'key' | 'value' | 'item';
  /** The word typed so far. */
  prefix: string;
  /** Role 'key': keys the mapping already has on other lines (completion leaves them out). */
  present?: string[];
}

const KEY_LINE = /^(\s*)(?:-\s+)?([A-Za-z_$][\w$-]*)\s*:(.*)$/;

/** Indentation of the key on a line (after a `- ` list marker), or -1 for blank/comment lines. */
function keyColumn(line: string): number {
  const m = /^(\s*)(-\s+)?(\S)/.exec(line);
  if (!m || m[3] === '#') return -1;
  return m[1].length + (m[2]?.length ?? 0);
}

/** The chain of parent keys of a line whose content starts at `column`, read from the lines above. */
function parentPath(lines: string[], lineIndex: number, column: number): YamlPath {
  const path: string[] = [];
  let limit = column;
  for (let i = lineIndex - 1; i >= 0 && limit > 0; i--) {
    const col = keyColumn(lines[i]);
    if (col < 0 || col >= limit) continue;
    const m = KEY_LINE.exec(lines[i]);
    if (!m) {
      limit = col;
      continue;
    }
    path.unshift(m[2]);
    limit = col;
  }
  return path;
}

/**
 * Keys at `column` in the block around `lineIndex` (up and down until a line that starts
 * left of it): the mapping's other keys. A `- ` item start ends the block too, since the
 * next item is another mapping.
 */
function siblingKeys(lines: string[], lineIndex: number, column: number): string[] {
  const keys: string[] = [];
  for (const step of [-1, 1]) {
    for (let i = lineIndex + step; i >= 0 && i < lines.length; i += step) {
      const col = keyColumn(lines[i]);
      if (col < 0 || col > column) continue;
      if (col < column || /^\s*-\s/.test(lines[i])) break;
      const m = KEY_LINE.exec(lines[i]);
      if (m) keys.push(m[2]);
    }
  }
  return keys;
}

/** What the cursor at (line, character) — both 0-based — is typing. */
export function cursorContext(
  text: string,
  line: number,
  character: number,
): CursorContext | undefined {
  const lines = text.split(/\r?\n/);
  const before = (lines[line] ?? '').slice(0, character);
  const keyTyped = /^(\s*)(-\s+)?([A-Za-z_$][\w$-]*)?$/.exec(before);
  if (keyTyped) {
    const column = keyTyped[1].length + (keyTyped[2]?.length ?? 0);
    const parent = parentPath(lines, line, column);
    // `- foo` under a key whose schema is an array of values is an item, not a key.
    if (keyTyped[2] !== undefined) return { path: parent, role: 'item', prefix: keyTyped[3] ?? '' };
    return {
      path: parent,
      role: 'key',
      prefix: keyTyped[3] ?? '',
      present: siblingKeys(lines, line, column),
    };
  }
  const valueTyped = /^(\s*)(?:-\s+)?([A-Za-z_$][\w$-]*)\s*:\s*(\[[^\]]*?,?\s*)?([\w.-]*)$/.exec(
    before,
  );
  if (valueTyped) {
    const path = [...parentPath(lines, line, keyColumn(before)), valueTyped[2]];
    return { path, role: valueTyped[3] !== undefined ? 'item' : 'value', prefix: valueTyped[4] };
  }
  return undefined;
}

/** The key under the cursor (0-based offset) and its path, from the YAML AST. */
export function keyAtOffset(
  text: string,
  offset: number,
): { path: YamlPath; range: [number, number] } | undefined {
  const doc = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false });
  const visit = (
    node: Node | null | undefined,
    path: YamlPath,
  ): { path: YamlPath; range: [number, number] } | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const name = String(pair.key.value);
        const [start, end] = pair.key.range;
        if (offset >= start && offset <= end) return { path: [...path, name], range: [start, end] };
        const found = visit(pair.value as Node | null, [...path, name]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = visit(node.items[i] as Node | null, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(doc.contents as Node | null, []);
}
