/**
 * The study's significance sections: per task and per method, how many cells
 * BOMF wins or loses with a 95% paired-bootstrap interval that excludes 0 and how
 * many are inside the noise of the test split; each cell's interval; plain
 * sentences naming where a baseline wins and where the difference is noise; and
 * BOMF's two selection rules against each other.
 */
import { fixed } from './format';
import type { CellResult, Significance, StudyMethod, StudyResults } from './results';
import { doneCells, meanStd, significanceCount, significanceIn, TIE, testValue } from './stats';

/** The BOMF rows: the run's own choice, then each other rule's. */
export function bomfChoices(results: StudyResults): StudyMethod[] {
  return results.methods.filter((m) => m === 'bomf' || m.startsWith('bomf ('));
}

/** The methods a BOMF choice is compared with (another rule's choice also with `bomf`). */
export function opponents(results: StudyResults, ours: StudyMethod): StudyMethod[] {
  const baselines = results.methods.filter((m) => !bomfChoices(results).includes(m));
  return ours === 'bomf' ? baselines : ['bomf', ...baselines];
}

/** `bomf` labelled with the rule its runs chose by (the first done cell's). */
export function choiceLabel(results: StudyResults, m: StudyMethod): string {
  if (m !== 'bomf') return m;
  const rule = results.cells.find((c) => c.rule)?.rule;
  return rule ? `bomf (${rule})` : 'bomf';
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${fixed(Math.abs(100 * v), 1)}`;

/** "+1.2 [−0.8, +3.1]" in metric points; bold when the interval excludes 0. */
export function intervalText(s: Significance): string {
  const text = `${signed(s.difference)} [${signed(s.low)}, ${signed(s.high)}]`;
  if (s.verdict === 'identical') return '= (same predictions)';
  return s.verdict === 'noise' ? text : `**${text}**`;
}

/** "↑1 ~2 ↓0 =0" over some cells, with the mean difference: the table cell of a task. */
function countText(
  results: StudyResults,
  cells: CellResult[],
  ours: StudyMethod,
  other: StudyMethod,
) {
  const c = significanceCount(cells, ours, other);
  if (c.n === 0) return '—';
  const metric = new Map(results.tasks.map((t) => [t.name, t.metric]));
  const diffs = cells.flatMap((cell) => {
    const a = testValue(cell, ours, metric.get(cell.task)!);
    const b = testValue(cell, other, metric.get(cell.task)!);
    return a === undefined || b === undefined ? [] : [a - b];
  });
  return `${signed(meanStd(diffs).mean)}: ↑${c.wins} ~${c.noise} ↓${c.losses}${c.identical ? ` =${c.identical}` : ''}`;
}

function countTable(results: StudyResults, ours: StudyMethod): string[] {
  const all = results.tasks.flatMap((t) => doneCells(results, t.name));
  const rows = [
    `| ${choiceLabel(results, ours)} vs | ${results.tasks.map((t) => `${t.name} (${t.metric})`).join(' | ')} | all cells |`,
    `| --- |${results.tasks.map(() => ' :---: |').join('')} :---: |`,
  ];
  for (const other of opponents(results, ours)) {
    const per = results.tasks.map((t) =>
      countText(results, doneCells(results, t.name), ours, other),
    );
    rows.push(
      `| ${choiceLabel(results, other)} | ${per.join(' | ')} | ${countText(results, all, ours, other)} |`,
    );
  }
  return rows;
}

function cellTable(results: StudyResults, task: string): string[] {
  const cells = doneCells(results, task);
  const rows = [
    `| ${task}: BOMF − method | ${cells.map((c) => `seed ${c.seed}`).join(' | ')} |`,
    `| --- |${cells.map(() => ' ---: |').join('')}`,
  ];
  for (const ours of bomfChoices(results)) {
    for (const other of opponents(results, ours)) {
      const texts = cells.map((c) => {
        const s = significanceIn(c, ours, other);
        return s ? intervalText(s) : '—';
      });
      rows.push(
        `| ${choiceLabel(results, ours)} − ${choiceLabel(results, other)} | ${texts.join(' | ')} |`,
      );
    }
  }
  return rows;
}

/** Sentences: for each BOMF choice, where a method wins significantly, and how much is noise. */
export function significanceVerdict(results: StudyResults): string[] {
  const lines: string[] = [];
  const all = results.tasks.flatMap((t) => doneCells(results, t.name));
  for (const ours of bomfChoices(results)) {
    let wins = 0;
    let losses = 0;
    let n = 0;
    const beaten: string[] = [];
    for (const other of opponents(results, ours)) {
      const c = significanceCount(all, ours, other);
      wins += c.wins;
      losses += c.losses;
      n += c.n;
      const where = all.filter(
        (cell) => significanceIn(cell, ours, other)?.verdict === 'baseline-better',
      );
      if (where.length > 0)
        beaten.push(
          `${choiceLabel(results, other)} (${where.map((x) => `${x.task}-s${x.seed}`).join(', ')})`,
        );
    }
    if (n === 0) continue;
    const label = `**${choiceLabel(results, ours)}**`;
    lines.push(
      `- ${label} against the other methods, ${n} paired test comparisons: significantly better in ${wins}, significantly worse in ${losses}, and in the other ${n - wins - losses} the 95% interval holds 0 (noise) or the predictions are identical.${beaten.length > 0 ? ` Significant wins over it: ${beaten.join('; ')}.` : ' No method beats it significantly in any cell.'}`,
    );
  }
  const rules = bomfChoices(results).filter((m) => m !== 'bomf');
  for (const rule of rules) {
    const metric = new Map(results.tasks.map((t) => [t.name, t.metric]));
    const pairs = all.flatMap((cell) => {
      const a = testValue(cell, rule, metric.get(cell.task)!);
      const b = testValue(cell, 'bomf', metric.get(cell.task)!);
      return a === undefined || b === undefined ? [] : [a - b];
    });
    if (pairs.length === 0) continue;
    const same = all.filter(
      (cell) => significanceIn(cell, rule, 'bomf')?.verdict === 'identical',
    ).length;
    const c = significanceCount(all, rule, 'bomf');
    const better = pairs.filter((d) => d > TIE).length;
    const worse = pairs.filter((d) => d < -TIE).length;
    lines.push(
      `- ${rule} against ${choiceLabel(results, 'bomf')}, same front: the same model in ${same} of ${pairs.length} cells; elsewhere higher on test in ${better}, lower in ${worse} (mean Δ ${signed(meanStd(pairs).mean)} points); significant: ${c.wins} better, ${c.losses} worse.`,
    );
  }
  return lines;
}

/** The whole section: counts per task and method, then each cell's interval. */
export function significanceSection(results: StudyResults): string[] {
  if (!results.cells.some((c) => Object.keys(c.significance ?? {}).length > 0)) return [];
  const out = [
    '### Is the difference real? Paired significance per cell',
    '',
    "For each cell, BOMF's test predictions against each method's on the same test examples (src/engine/report/significance.ts): the difference of the metric with a 95% paired-bootstrap interval (2,000 resamples of the test examples; for accuracy also McNemar's exact test in the run's report). A cell counts as a significant win (↑) when the interval lies above 0, a significant loss (↓) when it lies below 0, noise (~) when it holds 0, identical (=) when both make the same predictions. Each table cell: mean Δ over seeds in metric points, then the counts.",
    '',
  ];
  for (const ours of bomfChoices(results)) out.push(...countTable(results, ours), '');
  out.push(
    "#### Each cell's interval",
    '',
    'BOMF − method in metric points, [95% interval]; **bold** when the interval excludes 0.',
    '',
  );
  for (const t of results.tasks)
    if (doneCells(results, t.name).length > 0) out.push(...cellTable(results, t.name), '');
  return out;
}
