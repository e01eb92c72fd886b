/**
 * Splits a byte or text stream into JSON values, one per line. Chunks from a pipe
 * or a file read end anywhere, including inside a line (or a UTF-8 character):
 * the unfinished tail is kept until its newline arrives.
 */
import { StringDecoder } from 'node:string_decoder';

export interface JsonLinesBatch<T> {
  values: T[];
  /** Complete lines that were not JSON objects (e.g. a stray print), for the log. */
  rejected: string[];
}

export class JsonLinesReader<T extends object = object> {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** Feeds a chunk; returns the values of every line it completed. */
  push(chunk: Buffer | string): JsonLinesBatch<T> {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const cut = this.pending.lastIndexOf('\n');
    if (cut < 0) return { values: [], rejected: [] };
    const complete = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut + 1);
    return parseLines(complete.split('\n'));
  }

  /**
   * Ends the stream: a last line without a newline is parsed if it is whole JSON,
   * else reported as rejected (a write torn by a kill).
   */
  end(): JsonLinesBatch<T> {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return parseLines([rest]);
  }

  /** Characters held back waiting for a newline. */
  get pendingLength(): number {
    return this.pending.length;
  }
}

function parseLines<T>(lines: string[]): JsonLinesBatch<T> {
  const values: T[] = [];
  const rejected: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        values.push(value as T);
      else rejected.push(raw);
    } catch {
      rejected.push(raw);
    }
  }
  return { values, rejected };
}
