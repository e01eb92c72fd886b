import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from './errors';

export type TableFormat = 'csv' | 'tsv' | 'jsonl';

/** One data row: its 1-based line in the file and its fields by column name or index. */
export interface Row {
  line: number;
  /** For CSV/TSV: fields by position; for JSONL: the object's values by key. */
  fields: string[] | Record<string, unknown>;
}

export interface Table {
  file: string;
  format: TableFormat;
  /** Column names from the header line (CSV/TSV with header); null without one or for JSONL. */
  header: string[] | null;
  rows: Row[];
}

/** The format implied by a file extension (.csv, .tsv/.txt, .jsonl/.ndjson), if any. */
export function formatOfFile(file: string): TableFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.txt') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return undefined;
}

/**
 * Reads a data file. A UTF-8 BOM is dropped. CSV follows RFC 4180 quoting (via csv-parse). TSV is
 * split on tabs with no quote handling, because GLUE's TSVs contain bare quote characters. JSONL
 * has one JSON object per non-blank line. Blank lines are skipped everywhere.
 */
export function readTable(file: string, format: TableFormat, header: boolean): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(
      { file },
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (format === 'jsonl') {
    return { file, format, header: null, rows: splitLines(text).map((l) => jsonRow(file, l)) };
  }
  const rows: Row[] =
    format === 'csv'
      ? csvRecords(file, text)
      : splitLines(text).map(({ line, text: t }) => ({ line, fields: t.split('\t') }));
  if (!header) return { file, format, header: null, rows };
  const [first, ...rest] = rows as { line: number; fields: string[] }[];
  if (!first) throw new DataError({ file }, 'the file is empty (a header line was expected)');
  return { file, format, header: first.fields.map((f) => f.trim()), rows: rest };
}

function splitLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t }))
    .filter((l) => l.text.trim() !== '');
}

function csvRecords(file: string, text: string): Row[] {
  try {
    const records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    // info.lines is the line where the record ends; a quoted field may span several lines.
    return records.map(({ record, info }) => ({ line: info.lines, fields: record }));
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new DataError({ file, line: e.lines }, `malformed CSV: ${e.message}`);
  }
}

function jsonRow(file: string, { line, text }: { line: number; text: string }): Row {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DataError({ file, line }, `invalid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataError({ file, line }, 'each line must be a JSON object');
  }
  return { line, fields: value as Record<string, unknown> };
}
