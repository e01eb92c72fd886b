/**
 * Reading what a trainer command writes into its folder: the `metrics.jsonl`
 * stream (Katib-style JSON lines, tailed while the command runs) and the final
 * `metrics.json` (DVC-style flat metrics file). Every problem names the file and
 * line, so the failed trial's event says what to fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Evaluation } from '../../../contract/events';

export const METRICS_STREAM = 'metrics.jsonl';
export const METRICS_FILE = 'metrics.json';

/** A bad or missing output file; the lab turns it into a failed trial or evaluation. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** One line of metrics.jsonl. */
export interface MetricsLine {
  step: number;
  epoch: number;
  /** Training loss at this step. */
  loss?: number;
  /** Validation results at this step; `loss` among them is the validation loss. */
  metrics?: Record<string, number>;
  /** Stage 2: a checkpoint folder (relative to the command's folder) written at this step. */
  checkpoint?: string;
  totalSteps?: number;
  learningRate?: number;
}

/**
 * JSON as Python's `json.dump` writes it: bare NaN and ±Infinity (not JSON) are
 * read as null, so a diverged trainer reads as a NaN metric instead of a parse error.
 */
function parsePythonJson(text: string): unknown {
  return JSON.parse(text.replace(/(?<=[:[,]\s*)-?(?:NaN|Infinity)(?=\s*[,}\]])/g, 'null'));
}

const isNumber = (v: unknown): v is number => typeof v === 'number';

function numberRecord(value: unknown, where: string): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OutputError(`${where}: 'metrics' must be an object of numbers`);
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && !isNumber(v))
      throw new OutputError(`${where}: metric '${k}' is not a number`);
    out[k] = v ?? Number.NaN;
  }
  return out;
}

export function parseMetricsLine(text: string, where: string): MetricsLine {
  let raw: unknown;
  try {
    raw = parsePythonJson(text);
  } catch (err) {
    throw new OutputError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new OutputError(`${where}: expected a JSON object like {"step": 10, "epoch": 0.5, ...}`);
  }
  const o = raw as Record<string, unknown>;
  if (!isNumber(o.step) || !isNumber(o.epoch)) {
    throw new OutputError(`${where}: 'step' and 'epoch' must be numbers`);
  }
  const line: MetricsLine = { step: o.step, epoch: o.epoch };
  if (isNumber(o.loss)) line.loss = o.loss;
  if (o.metrics !== undefined) line.metrics = numberRecord(o.metrics, where);
  if (o.checkpoint !== undefined) {
    if (typeof o.checkpoint !== 'string' || o.checkpoint === '') {
      throw new OutputError(`${where}: 'checkpoint' must be a folder name`);
    }
    line.checkpoint = o.checkpoint;
  }
  if (isNumber(o.totalSteps)) line.totalSteps = o.totalSteps;
  if (isNumber(o.learningRate)) line.learningRate = o.learningRate;
  return line;
}

/**
 * Follows a metrics.jsonl file as the command appends to it. Only complete
 * lines (ending in a newline) are read, so a line being written is read whole
 * on a later poll.
 */
export class MetricsTail {
  private offset = 0;
  private lineNo = 0;
  private partial = '';

  constructor(readonly file: string) {}

  /** The lines appended since the last poll. */
  poll(): MetricsLine[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return [];
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const read = fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += read;
      const text = this.partial + buf.subarray(0, read).toString('utf8');
      const cut = text.lastIndexOf('\n');
      this.partial = text.slice(cut + 1);
      const lines: MetricsLine[] = [];
      // The piece after the last newline is not a line yet.
      for (const line of text
        .slice(0, cut + 1)
        .split('\n')
        .slice(0, -1)) {
        this.lineNo++;
        if (line.trim() !== '') lines.push(parseMetricsLine(line, `${this.file}:${this.lineNo}`));
      }
      return lines;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The command's final metrics.json, as numbers by name. */
export function readMetricsFile(dir: string): Record<string, number> {
  const file = path.join(dir, METRICS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new OutputError(`the command wrote no ${METRICS_FILE} (expected ${file})`);
  }
  let raw: unknown;
  try {
    raw = parsePythonJson(text);
  } catch (err) {
    throw new OutputError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return numberRecord(raw, file);
}

/** Validation loss and the config's metrics from a flat metrics object, each required. */
export function evaluationOf(
  values: Record<string, number>,
  metrics: readonly string[],
  where: string,
): Evaluation {
  const missing = ['loss', ...metrics].filter((m) => values[m] === undefined);
  if (missing.length > 0) {
    throw new OutputError(
      `${where} lacks ${missing.map((m) => `'${m}'`).join(', ')} (found: ${Object.keys(values).join(', ') || 'nothing'})`,
    );
  }
  return {
    loss: values.loss!,
    metrics: Object.fromEntries(metrics.map((m) => [m, values[m]!])),
  };
}
