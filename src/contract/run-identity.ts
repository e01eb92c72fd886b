/**
 * How a run is named wherever it appears (tree, pickers, status bar, dashboard tab, tables):
 * the config's name, a short id and the start time, so two runs of one config are told apart
 * at a glance; a label the user gave replaces nothing, it leads.
 *
 * Labels and notes live in `annotations.jsonl` in the run folder, beside the engine's
 * events.jsonl but written only by the editor: one JSON object per line, appended, never
 * rewritten, so an earlier label or note is never lost (the latest label wins on display).
 */

export const ANNOTATIONS_FILE = 'annotations.jsonl';

export interface RunAnnotation {
  /** ISO-8601 time the annotation was added. */
  time: string;
  kind: 'label' | 'note';
  /** A label of '' clears the label. */
  text: string;
}

export interface RunAnnotations {
  label?: string;
  notes: { time: string; text: string }[];
}

function isAnnotation(v: unknown): v is RunAnnotation {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  return (
    typeof a.time === 'string' &&
    (a.kind === 'label' || a.kind === 'note') &&
    typeof a.text === 'string'
  );
}

/**
 * Reads annotations.jsonl. Lines that do not parse (a write cut short, a hand edit) are
 * skipped rather than hiding every other note.
 */
export function parseAnnotations(text: string): RunAnnotations {
  const out: RunAnnotations = { notes: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isAnnotation(parsed)) continue;
    if (parsed.kind === 'label') out.label = parsed.text.trim() || undefined;
    else out.notes.push({ time: parsed.time, text: parsed.text });
  }
  return out;
}

/** One line of annotations.jsonl, newline included. */
export function annotationLine(a: RunAnnotation): string {
  return `${JSON.stringify(a)}\n`;
}

/**
 * Six hex digits derived from the run id (FNV-1a): short enough to read, and two runs of one
 * config started in the same second (run folders `name-time` and `name-time-2`) still differ.
 */
export function shortRunId(runId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-06 08:14` in the local time zone; '' for a missing or unreadable time. */
export function formatStartTime(iso: string | undefined): string {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export interface RunIdentity {
  /** The config's name (run-start `name`). */
  name: string;
  /** The run folder's name (run-start `runId`). */
  runId: string;
  startedAt?: string;
  label?: string;
}

/** `sst2-bomf #3fa2c1 · 2026-12-06 08:14`, led by the label when there is one: `baseline lr (sst2-bomf #3fa2c1 · …)`. */
export function runTitle(run: RunIdentity): string {
  const when = formatStartTime(run.startedAt);
  const base = `${run.name} #${shortRunId(run.runId)}${when ? ` · ${when}` : ''}`;
  return run.label ? `${run.label} (${base})` : base;
}
