/** report.json and report.md of a run folder, both folded from its events. */

import { dataSummaryLines } from '../../contract/data-summary';
import type { BomfEvent, Evaluation } from '../../contract/events';
import { writeFileAtomic } from '../../train/atomic-write';
import type { ResolvedConfig } from '../config';
import type { RunPaths } from '../store/run-folder';
import { foldReport, type Report } from './fold';

const num = (v: number | undefined, digits = 4) =>
  v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);

function evalCells(e: Evaluation | undefined, metrics: string[]): string[] {
  return [num(e?.loss), ...metrics.map((m) => num(e?.metrics[m]))];
}

const weightsText = (w: number[]) => w.map((v) => v.toFixed(2)).join(' ');

export function renderReportMarkdown(report: Report, metrics: string[]): string {
  const lines: string[] = [
    `# ${report.name} — ${report.runId}`,
    '',
    `Status: **${report.status}** · backend ${report.backend} · bomf ${report.engineVersion} · TF.js ${report.tfjsVersion} · Node ${report.nodeVersion}`,
    '',
  ];
  if (report.data) {
    lines.push('## Data', '', ...dataSummaryLines(report.data).map((l) => `- ${l}`));
    lines.push(...report.data.warnings.map((w) => `- warning: ${w}`), '');
  }
  lines.push('## Results (validation and held-out test)', '');
  const heads = ['loss', ...metrics];
  lines.push(
    `| method | ${heads.map((h) => `val ${h}`).join(' | ')} | ${heads.map((h) => `test ${h}`).join(' | ')} |`,
  );
  lines.push(`| --- |${' --- |'.repeat(heads.length * 2)}`);
  for (const b of report.baselines) {
    lines.push(
      `| ${b.name} | ${evalCells(b.validation, metrics).join(' | ')} | ${evalCells(b.test, metrics).join(' | ')} |`,
    );
  }
  lines.push(...bestOnTestLines(report, metrics), ...significanceLines(report));
  lines.push('', '## Stages', '', '| stage | status | seconds |', '| --- | --- | --- |');
  for (const s of report.stages) lines.push(`| ${s.stage} | ${s.status} | ${num(s.seconds, 1)} |`);

  lines.push(
    '',
    '## Stage 1: hyperparameter trials',
    '',
    '| trial | source | params | status | objective |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const t of report.search.trials) {
    const params = Object.entries(t.params)
      .map(([k, v]) => `${k}=${Number(v.toPrecision(3))}`)
      .join(', ');
    lines.push(
      `| ${t.trial} | ${t.source} | ${params} | ${t.status}${t.error ? ` (${t.error})` : ''} | ${num(t.objective)} |`,
    );
  }
  if (report.search.best)
    lines.push(
      '',
      `Best: trial ${report.search.best.trial}, objective ${num(report.search.best.objective)}.`,
    );

  lines.push(
    '',
    '## Stage 2: checkpoints',
    '',
    `| # | step | epoch | ${heads.map((h) => `val ${h}`).join(' | ')} |`,
    `| --- | --- | --- |${' --- |'.repeat(heads.length)}`,
  );
  for (const c of report.train.checkpoints)
    lines.push(
      `| ${c.index} | ${c.step} | ${num(c.epoch, 2)} | ${evalCells(c.validation, metrics).join(' | ')} |`,
    );

  const f = report.fusion;
  lines.push(
    '',
    '## Stage 3: fusion',
    '',
    `${f.evaluations.filter((e) => e.source !== 'member').length} fused models evaluated beside the ${report.train.checkpoints.length} checkpoints; Pareto front: ${f.pareto.join(', ') || '–'}; final hypervolume ${num(f.hypervolume.at(-1)?.hypervolume)}.`,
  );
  if (f.selected) {
    lines.push(
      '',
      `Selected evaluation ${f.selected.index} by rule \`${f.selected.rule}\`, exported to \`${f.selected.dir}/\`.`,
      '',
      `Weights: ${weightsText(f.selected.weights)}`,
    );
  }
  const soup = report.baselines.find((b) => b.name === 'greedy-soup');
  if (soup?.notes?.length)
    lines.push('', '## Greedy soup decisions', '', ...soup.notes.map((n) => `- ${n}`));
  if (report.errors.length > 0)
    lines.push('', '## Errors', '', ...report.errors.map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}

/** Best on test per column; equal values are ties and are all named. */
function bestOnTestLines(report: Report, metrics: string[]): string[] {
  const withTest = report.baselines.filter((b) => b.test);
  if (withTest.length === 0) return [];
  const columns: [string, (e: Evaluation) => number, boolean][] = [
    ['loss', (e) => e.loss, false],
    ...metrics.map((m): [string, (e: Evaluation) => number, boolean] => [
      m,
      (e) => e.metrics[m]!,
      true,
    ]),
  ];
  const parts = columns.map(([name, value, maximize]) => {
    const values = withTest.map((b) => value(b.test!)).filter(Number.isFinite);
    if (values.length === 0) return `${name} –`;
    const best = maximize ? Math.max(...values) : Math.min(...values);
    const winners = withTest.filter((b) => value(b.test!) === best).map((b) => b.name);
    return `${name}: ${winners.join(', ')}${winners.length > 1 ? ' (tie)' : ''}`;
  });
  return ['', `Best on test — ${parts.join('; ')}.`];
}

function significanceLines(report: Report): string[] {
  if (report.significance.length === 0) return [];
  const pct = (v: number) =>
    Number.isNaN(v) ? '–' : `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  const lines = [
    '',
    '### BOMF against each baseline on test',
    '',
    'Differences are BOMF − baseline, paired over the test examples, with 95% bootstrap intervals (metric in points, loss ×100); McNemar: exact test on the examples one model gets right and the other wrong (accuracy only).',
    '',
    '| baseline | metric diff [95% CI] | loss diff ×100 [95% CI] | McNemar p | verdict |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const c of report.significance) {
    const m = c.metricDifference;
    const l = c.lossDifference;
    lines.push(
      `| ${c.baseline} | ${c.metric} ${pct(m.difference)} [${pct(m.low)}, ${pct(m.high)}] | ${pct(l.difference)} [${pct(l.low)}, ${pct(l.high)}] | ${c.mcnemar ? c.mcnemar.p.toPrecision(2) : '–'} | ${c.summary} |`,
    );
  }
  return lines;
}

export function writeReport(
  config: ResolvedConfig,
  paths: RunPaths,
  events: readonly BomfEvent[],
): Report {
  const report = foldReport(events, config.data.metrics[0]);
  writeFileAtomic(paths.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(paths.reportMd, renderReportMarkdown(report, config.data.metrics));
  return report;
}
