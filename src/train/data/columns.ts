import { DataError } from './errors';
import type { Row, Table } from './read-table';

/** Reads one column's value from a row as a string, or throws a DataError naming file/line/column. */
export type ColumnReader = (row: Row) => string;

/**
 * Resolves a column given by header name or 0-based index. Without a header, only indices (or
 * digit strings) work; JSONL rows are objects, so their columns are keys.
 */
export function columnReader(table: Table, column: string | number, role: string): ColumnReader {
  const { file } = table;
  if (table.format === 'jsonl') {
    const key = String(column);
    return (row) => {
      const value = (row.fields as Record<string, unknown>)[key];
      if (value === undefined || value === null) {
        throw new DataError({ file, line: row.line, column: key }, `missing ${role} field`);
      }
      if (typeof value === 'object') {
        throw new DataError(
          { file, line: row.line, column: key },
          `the ${role} must be a string or a number`,
        );
      }
      return String(value);
    };
  }
  const index = resolveIndex(table, column, role);
  const name = table.header?.[index] ?? `#${index}`;
  return (row) => {
    const fields = row.fields as string[];
    if (index >= fields.length) {
      throw new DataError(
        { file, line: row.line, column: name },
        `missing ${role}: the row has ${fields.length} field(s)`,
      );
    }
    return fields[index];
  };
}

function resolveIndex(table: Table, column: string | number, role: string): number {
  const { file, header } = table;
  if (typeof column === 'number' || (!header && /^\d+$/.test(column))) {
    const index = Number(column);
    if (!Number.isInteger(index) || index < 0) {
      throw new DataError({ file, column: String(column) }, `invalid ${role} column index`);
    }
    return index;
  }
  if (!header) {
    throw new DataError(
      { file, column },
      `the ${role} column is given by name, but the file is read without a header: use a 0-based index`,
    );
  }
  const index = header.indexOf(column);
  if (index < 0) {
    throw new DataError(
      { file, line: 1, column },
      `no ${role} column of that name; the header has: ${header.join(', ')}`,
    );
  }
  return index;
}
