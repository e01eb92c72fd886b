/** Reading the pre-training corpus: plain-text files (optionally gzip), one text per line. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Non-empty lines of every file, in order (`.gz` files are decompressed). */
export function readCorpusLines(files: string[]): string[] {
  const lines: string[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
      if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
    } catch (err) {
      throw new Error(`${file}: cannot read corpus file (${(err as Error).message})`);
    }
    for (const line of bytes.toString('utf8').split(/\r?\n/)) {
      const t = line.trim();
      if (t.length > 0) lines.push(t);
    }
  }
  if (lines.length === 0) throw new Error(`corpus ${files.join(', ')} has no text`);
  return lines;
}
