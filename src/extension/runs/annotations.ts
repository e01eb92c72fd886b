/**
 * A run's labels and notes on disk (see contract/run-identity.ts): read whole, added to by
 * appending one line. The line is written with a single write on an O_APPEND descriptor
 * and fsynced, so a crash leaves either the whole note or a torn last line the reader skips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ANNOTATIONS_FILE,
  annotationLine,
  parseAnnotations,
  type RunAnnotation,
  type RunAnnotations,
} from '../../contract/run-identity';

export function readAnnotations(runDir: string): RunAnnotations {
  try {
    return parseAnnotations(fs.readFileSync(path.join(runDir, ANNOTATIONS_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { notes: [] };
    throw err;
  }
}

export function appendAnnotation(
  runDir: string,
  kind: RunAnnotation['kind'],
  text: string,
  now = new Date(),
): void {
  const fd = fs.openSync(path.join(runDir, ANNOTATIONS_FILE), 'a');
  try {
    fs.writeSync(fd, annotationLine({ time: now.toISOString(), kind, text }));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
