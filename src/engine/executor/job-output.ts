/**
 * What a job left in its folder that explains a failure: the end of its stderr,
 * kept in the failure event so the user sees why without opening files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JOB_FILES } from './executor';

/** Enough for a Python traceback's last frames and message. */
const TAIL_BYTES = 4096;
const TAIL_LINES = 20;

/** The last lines of the job's stderr, or undefined when it wrote none. */
export function stderrTail(dir: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path.join(dir, JOB_FILES.stderr), 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, TAIL_BYTES));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    const text = buf.toString('utf8').trimEnd();
    return text === '' ? undefined : text.split('\n').slice(-TAIL_LINES).join('\n');
  } finally {
    fs.closeSync(fd);
  }
}
