import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError, type DataWarning } from './errors';

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
  /** Problems that do not stop the file from being read (e.g. bytes that are not UTF-8). */
  warnings: DataWarning[];
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
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new DataError(
      { file },
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  const { text, warnings } = decodeText(file, bytes);
  if (format === 'jsonl') {
    const rows = splitLines(text).map((l) => jsonRow(file, l));
    return { file, format, header: null, rows, warnings };
  }
  const rows: Row[] =
    format === 'csv'
      ? csvRecords(file, text)
      : splitLines(text).map(({ line, text: t }) => ({ line, fields: t.split('\t') }));
  if (!header) {
    const width = (rows[0]?.fields as string[] | undefined)?.length ?? 0;
    checkFieldCounts(file, format, rows, width, 'the first row');
    return { file, format, header: null, rows, warnings };
  }
  const [first, ...rest] = rows as { line: number; fields: string[] }[];
  if (!first) throw new DataError({ file }, 'the file is empty (a header line was expected)');
  checkFieldCounts(file, format, rest, first.fields.length, 'the header');
  return { file, format, header: first.fields.map((f) => f.trim()), rows: rest, warnings };
}

/** How many of the first bytes are looked at to tell a binary file from text. */
const SNIFF_BYTES = 8192;

/**
 * The file's text. A binary file (a NUL byte, or many control bytes, near the start) is refused
 * without echoing its bytes; bytes that are not UTF-8 become U+FFFD with a warning naming the
 * first line they are on (a Latin-1 or Windows-1252 file, typically). A UTF-8 BOM is dropped.
 */
function decodeText(file: string, bytes: Buffer): { text: string; warnings: DataWarning[] } {
  const head = bytes.subarray(0, SNIFF_BYTES);
  const controls = head.filter((b) => b < 9 || (b > 13 && b < 32)).length;
  if (head.includes(0) || controls > head.length / 10) {
    throw new DataError(
      { file },
      'this looks like a binary file, not CSV, TSV or JSONL text (it has NUL or control bytes)',
    );
  }
  const warnings: DataWarning[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
    const lines = text.split('\n');
    const bad = lines.flatMap((l, i) => (l.includes('\uFFFD') ? [i + 1] : []));
    warnings.push({
      file,
      line: bad[0],
      message: `not valid UTF-8: ${bad.length} line(s) hold bytes read as U+FFFD (\uFFFD); save the file as UTF-8`,
    });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, warnings };
}

/** Every row must have as many fields as the header: an extra tab or comma would shift columns. */
function checkFieldCounts(
  file: string,
  format: TableFormat,
  rows: Row[],
  expected: number,
  reference: string,
): void {
  for (const row of rows) {
    const count = (row.fields as string[]).length;
    if (count === expected) continue;
    const separator = format === 'tsv' ? 'tab' : 'comma';
    const hint =
      count > expected ? ` (a stray ${separator} inside a field? quote it or remove it)` : '';
    throw new DataError(
      { file, line: row.line },
      `the row has ${count} field(s) but ${reference} has ${expected}${hint}`,
    );
  }
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
