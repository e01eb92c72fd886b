import { printable } from './text-hygiene';

/**
 * A problem in a data file, located by file, line (1-based, as an editor shows it) and column.
 * The message may quote the data, so control characters in it are shown as escapes.
 */
export class DataError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  /** The problem itself, without the location. */
  readonly detail: string;

  constructor(where: { file: string; line?: number; column?: string }, detail: string) {
    const location = `${where.file}${where.line !== undefined ? `:${where.line}` : ''}`;
    const column = where.column !== undefined ? ` column '${where.column}':` : '';
    super(printable(`${location}:${column} ${detail}`));
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.detail = printable(detail);
  }
}

/** A problem that does not stop the data from loading, located like a DataError. */
export interface DataWarning {
  file: string;
  line?: number;
  message: string;
}
