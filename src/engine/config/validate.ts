/**
 * Validates an experiment config's text: YAML syntax, the schema, then rules the
 * schema cannot express (bounds order, metrics that fit the task, files that
 * exist) and, on request, the data and model files themselves. Every problem is a
 * diagnostic with file, line, column and field path. Pure apart from the optional
 * file checks (whose result is cached), so the extension can run it as the user
 * types.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { type Document, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { type NumberBounds, rangeText } from './bounds';
import { checkData } from './data-check';
import { closestName } from './hints';
import { checkModel } from './model-check';
import { rangeOf, type SourceRange } from './positions';
import { type ExperimentConfig, ExperimentSchema } from './schema';
import { checkFiles, checkSemantics, type SemanticIssue } from './semantics';

export interface ConfigDiagnostic extends SourceRange {
  file: string;
  severity: 'error' | 'warning';
  message: string;
  /** Dotted field path, e.g. `search.parameters.learningRate.low` ('' for the whole file). */
  path: string;
  /** A misspelt key or value and its likely intended spelling (the "did you mean" hint), for a quick fix. */
  suggestion?: Suggestion;
}

export interface Suggestion {
  /** The text as written, inside the diagnostic's range. */
  wrong: string;
  replacement: string;
}

export interface ValidationResult {
  diagnostics: ConfigDiagnostic[];
  /** The config with schema defaults filled in; present only when there is no error. */
  config?: ExperimentConfig;
}

export interface ValidateOptions {
  /** Check that data files and model folders exist (relative to this folder). */
  baseDir?: string;
  /**
   * Also read the data files and the model's config.json as a run would (needs `baseDir`):
   * columns, labels, field counts, classes, encoding.
   */
  data?: boolean;
}

// strictNumbers: YAML's .nan and .inf are numbers to JavaScript but never a valid setting.
const ajv = new Ajv({
  allErrors: true,
  useDefaults: true,
  strict: false,
  strictNumbers: true,
  verbose: true,
});
const validateSchema = ajv.compile(ExperimentSchema);

type Path = (string | number)[];

function pointerToPath(pointer: string): Path {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const dotted = (path: Path) => path.join('.');

/** Allowed values of a union of literals, if the schema is one. */
function literalChoices(schema: unknown): string[] | undefined {
  const anyOf = (schema as { anyOf?: { const?: unknown }[] } | undefined)?.anyOf;
  if (!anyOf?.every((s) => s.const !== undefined)) return undefined;
  return anyOf.map((s) => String(s.const));
}

/** One readable message per schema error; `undefined` for errors another one explains. */
function describe(
  err: ErrorObject,
  all: ErrorObject[],
): { path: Path; key?: boolean; message: string; suggestion?: Suggestion } | undefined {
  const path = pointerToPath(err.instancePath);
  const field = dotted(path) || 'the config';
  switch (err.keyword) {
    case 'additionalProperties': {
      const name = String(err.params.additionalProperty);
      const known = Object.keys((err.parentSchema?.properties as object) ?? {});
      const hint = closestName(name, known);
      const where = path.length ? `in '${field}'` : 'at the top level';
      return {
        path: [...path, name],
        key: true,
        message: `unknown key '${name}' ${where}${hint ? `; did you mean '${hint}'?` : `; known keys: ${known.join(', ')}`}`,
        suggestion: hint ? { wrong: name, replacement: hint } : undefined,
      };
    }
    case 'required':
      return {
        path,
        message: `'${field}' is missing the required field '${err.params.missingProperty}'`,
      };
    case 'anyOf': {
      const choices = literalChoices(err.parentSchema);
      if (!choices) return { path, message: `'${field}' ${err.message}` };
      const hint = typeof err.data === 'string' ? closestName(err.data, choices) : undefined;
      return {
        path,
        message: `'${field}' must be one of ${choices.join(', ')} (got ${JSON.stringify(err.data)})${hint ? `; did you mean '${hint}'?` : ''}`,
        suggestion: hint ? { wrong: String(err.data), replacement: hint } : undefined,
      };
    }
    case 'const':
    case 'type': {
      // Inside a union the anyOf error says it better.
      const insideUnion = all.some(
        (e) => e.keyword === 'anyOf' && e.instancePath === err.instancePath,
      );
      if (insideUnion) return undefined;
      return { path, message: `'${field}' ${err.message} (got ${shown(err.data)})` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        message: `'${field}' is ${err.data}, out of range: allowed ${rangeText(err.parentSchema as NumberBounds)}`,
      };
    default:
      return { path, message: `'${field}' ${err.message}` };
  }
}

/** A value as the user wrote it: JSON, except for the non-finite numbers JSON shows as null. */
const shown = (value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);

/** Alias expansions a config may use; a real config needs a handful, a billion-laughs one millions. */
const MAX_ALIAS_COUNT = 100;

function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

const inSourceOrder = (ds: ConfigDiagnostic[]) =>
  ds.sort((a, b) => a.line - b.line || a.column - b.column);

/**
 * Validates config text.
 * @param text - the YAML source
 * @param file - the file name used in diagnostics
 */
export function validateConfigText(
  text: string,
  file: string,
  opts: ValidateOptions = {},
): ValidationResult {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const diagnostics: ConfigDiagnostic[] = [];
  const push = (
    range: SourceRange,
    message: string,
    path: string,
    severity: 'error' | 'warning' = 'error',
    suggestion?: Suggestion,
  ) =>
    diagnostics.push({
      file,
      ...range,
      severity,
      message,
      path,
      ...(suggestion ? { suggestion } : {}),
    });

  for (const e of doc.errors) {
    const a = lines.linePos(e.pos[0]);
    const b = lines.linePos(e.pos[1]);
    push(
      { line: a.line, column: a.col, endLine: b.line, endColumn: b.col },
      `YAML: ${e.message.split('\n')[0]}`,
      '',
    );
  }
  if (doc.errors.length > 0) return { diagnostics };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (err) {
    // The yaml package refuses documents whose aliases expand beyond maxAliasCount.
    const [start, end] = firstAlias(doc)?.range ?? [0, 0];
    const a = lines.linePos(start);
    const b = lines.linePos(end);
    push(
      { line: a.line, column: a.col, endLine: b.line, endColumn: b.col },
      `YAML: the aliases (*name) expand to too many nodes (an alias bomb?): ${(err as Error).message}`,
      '',
    );
    return { diagnostics };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    push(
      rangeOf(doc, lines, []),
      'the config must be a mapping of keys (name, data, search, …)',
      '',
    );
    return { diagnostics };
  }
  const report = (issues: SemanticIssue[]) => {
    for (const issue of issues)
      push(rangeOf(doc, lines, issue.path), issue.message, dotted(issue.path), issue.severity);
  };
  const schemaOk = validateSchema(value);
  if (opts.baseDir !== undefined) report(checkFiles(value, opts.baseDir));
  if (!schemaOk) {
    const errors = validateSchema.errors ?? [];
    const seen = new Set<string>();
    for (const err of errors) {
      const d = describe(err, errors);
      if (!d || seen.has(d.message)) continue;
      seen.add(d.message);
      push(
        rangeOf(doc, lines, d.path, { key: d.key }),
        d.message,
        dotted(d.path),
        'error',
        d.suggestion,
      );
    }
    return { diagnostics: inSourceOrder(diagnostics) };
  }
  const config = value as ExperimentConfig;
  report(checkSemantics(config));
  // Data checks need the files to exist and the columns, task and labels to be valid.
  const valid = !diagnostics.some((d) => d.severity === 'error');
  if (opts.data && opts.baseDir !== undefined && valid) {
    report(checkData(config, opts.baseDir));
    report(checkModel(config, opts.baseDir));
  }
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return ok
    ? { diagnostics: inSourceOrder(diagnostics), config }
    : { diagnostics: inSourceOrder(diagnostics) };
}

/** `file:line:column: severity: message` lines, as compilers print them. */
export function formatDiagnostics(diagnostics: ConfigDiagnostic[]): string {
  return diagnostics
    .map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`)
    .join('\n');
}
