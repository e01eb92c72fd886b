/**
 * What a loaded dataset holds, for the user to check before trusting a run: rows per split,
 * class counts, text lengths, and warnings for what looks wrong (a label that reads like a
 * sentence is the mark of a shifted column; a class with a handful of rows cannot be learned
 * or measured).
 */
import type { DataSplitSummary, DataSummaryEvent } from '../../contract/events';
import type { Dataset, Example, Split } from './dataset';
import type { DataWarning } from './errors';
import { printable } from './text-hygiene';

/** A data-summary event before the log stamps it. */
export type DataSummary = Omit<DataSummaryEvent, 'type' | 'seq' | 'time'>;

/** Fewer training rows than this in a class earns a warning. */
const FEW_ROWS = 5;
/** A label with this many words, or this many characters, reads like text rather than a class. */
const TEXT_LIKE_WORDS = 4;
const TEXT_LIKE_CHARS = 40;

const SPLITS: Split[] = ['train', 'validation', 'test'];

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

const exampleLength = (e: Example) => e.text.length + (e.pair?.length ?? 0);

function splitSummary(ds: Dataset, split: Split): DataSplitSummary {
  const examples = ds[split];
  const lengths = examples.map(exampleLength).sort((a, b) => a - b);
  const summary: DataSplitSummary = {
    split,
    rows: examples.length,
    textLength: {
      p5: percentile(lengths, 5),
      p50: percentile(lengths, 50),
      p95: percentile(lengths, 95),
      max: lengths[lengths.length - 1] ?? 0,
    },
  };
  const file = ds.files[split];
  if (file !== undefined && (split === 'train' || ds.origin[split] === 'file')) summary.file = file;
  if (ds.labelNames) {
    const counts = ds.labelNames.map(() => 0);
    for (const e of examples) counts[e.label]!++;
    summary.classCounts = counts;
  }
  return summary;
}

function classWarnings(ds: Dataset, train: DataSplitSummary): DataWarning[] {
  if (!ds.labelNames) return [];
  const file = ds.files.train ?? 'the training file';
  return ds.labelNames.flatMap((name, id) => {
    const shown = printable(name);
    const out: DataWarning[] = [];
    if (name.split(/\s+/).length >= TEXT_LIKE_WORDS || name.length >= TEXT_LIKE_CHARS)
      out.push({
        file,
        message: `class '${shown}' reads like text, not a label: is the label column right?`,
      });
    const rows = train.classCounts![id]!;
    if (rows < FEW_ROWS)
      out.push({ file, message: `class '${shown}' has only ${rows} training row(s)` });
    return out;
  });
}

/** Texts holding U+FFFD, the mark of bytes that were not UTF-8 somewhere upstream. */
function replacementWarnings(ds: Dataset): DataWarning[] {
  return SPLITS.flatMap((split) => {
    const n = ds[split].filter((e) => `${e.text}${e.pair ?? ''}`.includes('\uFFFD')).length;
    const file = ds.files[split] ?? ds.files.train ?? split;
    return n > 0
      ? [{ file, message: `${n} ${split} example(s) hold the replacement character U+FFFD` }]
      : [];
  });
}

/** Everything about the data worth a look: loading's warnings, odd classes, U+FFFD. */
export function dataWarnings(ds: Dataset): DataWarning[] {
  const train = splitSummary(ds, 'train');
  return [...ds.warnings, ...classWarnings(ds, train), ...replacementWarnings(ds)];
}

export function summarizeDataset(ds: Dataset): DataSummary {
  const warnings = dataWarnings(ds).map(
    (w) => `${w.file}${w.line !== undefined ? `:${w.line}` : ''}: ${printable(w.message)}`,
  );
  return {
    task: ds.task,
    ...(ds.labelNames ? { labels: ds.labelNames } : {}),
    splits: SPLITS.map((s) => splitSummary(ds, s)),
    warnings,
  };
}
