/**
 * A data-summary event as a few lines of text: what the terminal prints at the start of a
 * run, what report.md lists and what the dashboard's data card shows.
 */
import type { DataSplitSummary, DataSummaryEvent } from './events';

/** Classes listed by name before the rest are counted as "… n more". */
const MAX_CLASSES_SHOWN = 12;

const baseName = (file: string) =>
  file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);

function splitText(s: DataSplitSummary): string {
  return `${s.split} ${s.rows} rows (${s.file ? baseName(s.file) : 'carved from train'})`;
}

/** Rows per split, class counts in train, text lengths: one line each. */
export function dataSummaryLines(e: Pick<DataSummaryEvent, 'labels' | 'splits'>): string[] {
  const lines = [e.splits.map(splitText).join(' · ')];
  const train = e.splits.find((s) => s.split === 'train');
  if (e.labels && train?.classCounts) {
    const shown = e.labels
      .slice(0, MAX_CLASSES_SHOWN)
      .map((name, id) => `${name} (${train.classCounts![id]})`);
    const more = e.labels.length - MAX_CLASSES_SHOWN;
    lines.push(`classes in train: ${shown.join(', ')}${more > 0 ? `, … ${more} more` : ''}`);
  }
  if (train) {
    const t = train.textLength;
    lines.push(
      `text length in train: median ${t.p50} characters, 5–95% ${t.p5}–${t.p95}, max ${t.max}`,
    );
  }
  return lines;
}
