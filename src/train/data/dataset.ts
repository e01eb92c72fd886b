import { isAbsolute, resolve } from 'node:path';
import { mixSeed, seededRandom, shuffleInPlace } from '../loop/random';
import { columnReader } from './columns';
import { DataError, type DataWarning } from './errors';
import { formatOfFile, readTable, type TableFormat } from './read-table';
import { cleanField } from './text-hygiene';

export type Task = 'classification' | 'regression';

/** Where a task's data lives and how to read it. Paths are relative to `baseDir`. */
export interface DataSpec {
  train: string;
  validation?: string;
  test?: string;
  /** Default: from each file's extension (.csv, .tsv/.txt, .jsonl). */
  format?: TableFormat;
  /** CSV/TSV files start with a header line (default true). */
  header?: boolean;
  /** Column name, or 0-based index for files without a header. */
  text: string | number;
  textPair?: string | number;
  label: string | number;
  task: Task;
  /** Class names in id order; default: the train file's labels, by value if all are numbers. */
  labels?: string[];
  /** Fraction of the train file carved out as validation when no validation file is given (default 0.1). */
  validationFraction?: number;
  /** Fraction of the train file carved out as test when no test file is given (default 0.1). */
  testFraction?: number;
  /** Seeded random subsets of at most this many examples per split. */
  limit?: { train?: number; validation?: number; test?: number };
  /** Seed of the carving and the limits (default 42). */
  seed?: number;
}

/** One example; `label` is a class id (classification) or a score (regression). */
export interface Example {
  text: string;
  pair?: string;
  label: number;
}

export interface Dataset {
  task: Task;
  /** Class names indexed by label id; null for regression. */
  labelNames: string[] | null;
  train: Example[];
  validation: Example[];
  test: Example[];
  /** Whether validation/test came from their own files or were carved from train. */
  origin: { validation: 'file' | 'carved'; test: 'file' | 'carved' };
  /** The files read, as absolute paths. */
  files: Partial<Record<Split, string>>;
  /** What loading put up with: bytes that are not UTF-8, dropped control characters. */
  warnings: DataWarning[];
}

interface RawExample {
  text: string;
  pair?: string;
  label: string;
  line: number;
}

export type Split = 'train' | 'validation' | 'test';

/**
 * Loads and validates a dataset. Every problem — unreadable file, missing column or field,
 * unknown label, non-numeric score, empty split, a class absent from train — throws a DataError
 * naming the file (and line and column when there is one), so nothing trains on bad data.
 */
export function loadDataset(spec: DataSpec, baseDir: string): Dataset {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const files: Partial<Record<Split, string>> = { train: path(spec.train) };
  if (spec.validation) files.validation = path(spec.validation);
  if (spec.test) files.test = path(spec.test);
  const raw: Partial<Record<Split, RawExample[]>> = {};
  const warnings: DataWarning[] = [];
  for (const split of ['train', 'validation', 'test'] as const) {
    const file = files[split];
    if (file) raw[split] = readExamples(spec, file, warnings);
  }
  const trainFile = files.train!;
  const toLabel = labelMapper(spec, raw.train!, trainFile);
  const converted = (split: Split) =>
    raw[split]!.map((r) => ({
      text: r.text,
      ...(r.pair !== undefined ? { pair: r.pair } : {}),
      label: toLabel(r, files[split]!),
    }));

  const seed = spec.seed ?? 42;
  let train = converted('train');
  const trainFileSize = train.length;
  const carve = (split: 'validation' | 'test', fraction: number) => {
    if (!(fraction > 0 && fraction < 1)) {
      throw new DataError(
        { file: trainFile },
        `${split}Fraction must be between 0 and 1, got ${fraction}`,
      );
    }
    const picked = pickIndices(
      train.length,
      Math.round(trainFileSize * fraction),
      mixSeed(seed, split === 'test' ? 1 : 2),
    );
    const chosen = new Set(picked);
    const carved = picked.map((i) => train[i]);
    train = train.filter((_, i) => !chosen.has(i));
    return carved;
  };
  // Test is carved before validation so that adding a validation file never changes the test set.
  const test = files.test ? converted('test') : carve('test', spec.testFraction ?? 0.1);
  const validation = files.validation
    ? converted('validation')
    : carve('validation', spec.validationFraction ?? 0.1);

  const splits = { train, validation, test };
  for (const split of ['train', 'validation', 'test'] as const) {
    const limit = spec.limit?.[split];
    if (limit !== undefined && limit < splits[split].length) {
      splits[split] = pickIndices(splits[split].length, limit, mixSeed(seed, 3, limit)).map(
        (i) => splits[split][i],
      );
    }
    if (splits[split].length === 0) {
      const where = files[split] ?? trainFile;
      const how = files[split]
        ? ''
        : ` (carved from the training file; raise ${split}Fraction or add a ${split} file)`;
      throw new DataError({ file: where }, `the ${split} split is empty${how}`);
    }
  }
  const labelNames = spec.task === 'classification' ? classNames(spec, raw.train!) : null;
  if (labelNames && labelNames.length < 2) {
    throw new DataError(
      { file: trainFile, column: String(spec.label) },
      `the training file has a single class ('${labelNames[0]}'): a classifier needs at least two (is the label column right? for scores set data.task: regression)`,
    );
  }
  if (labelNames) checkClassesInTrain(labelNames, splits.train, trainFile, spec.label);
  return {
    task: spec.task,
    labelNames,
    ...splits,
    origin: {
      validation: files.validation ? 'file' : 'carved',
      test: files.test ? 'file' : 'carved',
    },
    files,
    warnings,
  };
}

function readExamples(spec: DataSpec, file: string, warnings: DataWarning[]): RawExample[] {
  const format = spec.format ?? formatOfFile(file);
  if (!format) {
    throw new DataError(
      { file },
      'unknown file format: name it .csv, .tsv or .jsonl, or set format',
    );
  }
  const table = readTable(file, format, spec.header ?? true);
  const text = columnReader(table, spec.text, 'text');
  const pair =
    spec.textPair !== undefined ? columnReader(table, spec.textPair, 'text pair') : undefined;
  const label = columnReader(table, spec.label, 'label');
  if (table.rows.length === 0) {
    throw new DataError(
      { file },
      table.header ? 'the file has a header line but no data rows' : 'the file has no data rows',
    );
  }
  warnings.push(...table.warnings);
  const dropped = { count: 0, firstLine: 0 };
  const clean = (value: string, line: number) => {
    const field = cleanField(value);
    if (field.dropped > 0 && dropped.count === 0) dropped.firstLine = line;
    dropped.count += field.dropped;
    return field.text;
  };
  const examples = table.rows.map((row) => ({
    text: clean(text(row), row.line),
    ...(pair ? { pair: clean(pair(row), row.line) } : {}),
    label: clean(label(row), row.line).trim(),
    line: row.line,
  }));
  if (dropped.count > 0) {
    warnings.push({
      file,
      line: dropped.firstLine,
      message: `dropped ${dropped.count} control character(s) (escape codes, NUL, …) from the text`,
    });
  }
  return examples;
}

/**
 * Class names in id order: as given, or the train file's labels, by value if all
 * are numbers ("2" before "10", and "2.0" before "10.0" as pandas writes them).
 */
function classNames(spec: DataSpec, train: RawExample[]): string[] {
  if (spec.labels) return spec.labels.map(String);
  const names = [...new Set(train.map((r) => r.label))].filter((n) => n !== '');
  const numeric = names.every((n) => Number.isFinite(Number(n)));
  return numeric
    ? names.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    : names.sort();
}

function labelMapper(spec: DataSpec, train: RawExample[], trainFile: string) {
  const column = String(spec.label);
  if (spec.task === 'regression') {
    return (r: RawExample, file: string) => {
      const score = r.label === '' ? Number.NaN : Number(r.label);
      if (!Number.isFinite(score)) {
        throw new DataError(
          { file, line: r.line, column },
          `regression score '${r.label}' is not a number`,
        );
      }
      return score;
    };
  }
  const names = classNames(spec, train);
  const ids = new Map(names.map((n, i) => [n, i]));
  return (r: RawExample, file: string) => {
    if (r.label === '') throw new DataError({ file, line: r.line, column }, 'empty label');
    const id = ids.get(r.label);
    if (id !== undefined) return id;
    const why = spec.labels
      ? `unknown label '${r.label}' (labels: ${names.join(', ')})`
      : `label '${r.label}' does not occur in the training file ${trainFile} (its labels: ${names.join(', ')})`;
    throw new DataError({ file, line: r.line, column }, why);
  };
}

function checkClassesInTrain(
  names: string[],
  train: Example[],
  trainFile: string,
  column: string | number,
) {
  const present = new Set(train.map((e) => e.label));
  const missing = names.filter((_, id) => !present.has(id));
  if (missing.length > 0) {
    throw new DataError(
      { file: trainFile, column: String(column) },
      `class(es) ${missing.map((m) => `'${m}'`).join(', ')} absent from the training split`,
    );
  }
}

/** `count` distinct indices of 0..n-1, chosen with a seeded shuffle, returned in file order. */
function pickIndices(n: number, count: number, seed: number): number[] {
  const order = shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    seededRandom(seed),
  );
  return order.slice(0, Math.max(0, count)).sort((a, b) => a - b);
}
