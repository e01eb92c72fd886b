/**
 * docs/study.md, generated from the results JSON only (so it can be regenerated
 * at any time, e.g. after a partial study was resumed). It states the numbers as
 * they are, including where BOMF does not win.
 */
import type { BaselineName } from '../../src/contract/fusion-events';
import { fixed, pct } from './format';
import {
  claimLines,
  hypervolumeSection,
  landscapeSection,
  transferSection,
} from './markdown-experiments';
import { setupTable, statusSection, timeLine } from './markdown-setup';
import {
  bomfChoices,
  choiceLabel,
  opponents,
  significanceSection,
  significanceVerdict,
} from './markdown-significance';
import type { StudyMethod, StudyResults, TaskInfo } from './results';
import { doneCells, type MeanStd, meanStd, pairedComparison, TIE, testValue } from './stats';

export interface FigureLinks {
  hypervolume?: string;
  landscape?: string;
  transfer?: string;
}

const METHOD_NOTES: Record<BaselineName, string> = {
  bomf: 'BOMF: multi-objective BO over fusion weights (loss + metrics), model chosen on the Pareto front by validation metric',
  'best-single': 'the checkpoint with the best validation metric',
  last: 'the last checkpoint of fine-tuning',
  swa: 'uniform average of all checkpoints (SWA)',
  'greedy-soup':
    'greedy soup (Wortsman et al. 2022): add checkpoints in order of validation metric while it does not drop',
  'sobo-metric':
    'single-objective BO over fusion weights on the validation metric, same budget as BOMF',
  'sobo-loss':
    'single-objective BO over fusion weights on the validation loss, same budget as BOMF',
};

/** What a method row is; a rule row is BOMF's choice from the same front under that rule. */
export function methodNote(m: StudyMethod): string {
  const rule = /^bomf \((.+)\)$/.exec(m)?.[1];
  return rule === undefined
    ? METHOD_NOTES[m as BaselineName]
    : `BOMF's model chosen from the same Pareto front by the selection rule ${rule} (src/engine/pipeline/selection.ts) instead of the run's own rule`;
}

function cellText(s: MeanStd): string {
  if (s.n === 0) return '—';
  return s.n > 1 ? `${pct(s.mean)} ± ${pct(s.std)}` : `${pct(s.mean)} (1 seed)`;
}

function methodStats(
  results: StudyResults,
  task: TaskInfo,
  method: StudyMethod,
  split: 'test' | 'validation',
): MeanStd {
  const values = doneCells(results, task.name).flatMap((c) => {
    const v =
      split === 'test'
        ? testValue(c, method, task.metric)
        : c.methods[method]?.validation.metrics[task.metric];
    return typeof v === 'number' && Number.isFinite(v) ? [v] : [];
  });
  return meanStd(values);
}

/** Methods whose mean equals the highest mean for a task (several on exact ties, e.g. the same fused model). */
export function bestMethods(
  results: StudyResults,
  task: TaskInfo,
  split: 'test' | 'validation' = 'test',
  among: readonly StudyMethod[] = results.methods,
): StudyMethod[] {
  const means = among.flatMap((m) => {
    const s = methodStats(results, task, m, split);
    return s.n > 0 && Number.isFinite(s.mean) ? [{ m, v: s.mean }] : [];
  });
  const top = Math.max(...means.map((x) => x.v));
  return means.filter((x) => x.v >= top - 1e-12).map((x) => x.m);
}

function resultsTable(results: StudyResults, split: 'test' | 'validation'): string[] {
  const head = `| method | ${results.tasks.map((t) => `${t.name} (${t.metric})`).join(' | ')} |`;
  const rows = [head, `| --- |${results.tasks.map(() => ' ---: |').join('')}`];
  const winners = results.tasks.map((t) => bestMethods(results, t, split));
  for (const m of results.methods) {
    const cells = results.tasks.map((t, i) => {
      const text = cellText(methodStats(results, t, m, split));
      return winners[i]!.includes(m) ? `**${text}**` : text;
    });
    const label = choiceLabel(results, m);
    rows.push(`| ${m === 'bomf' ? `**${label}**` : label} | ${cells.join(' | ')} |`);
  }
  if (split === 'test') {
    const tfidf = results.tasks.map((t) => {
      const v = doneCells(results, t.name).flatMap((c) =>
        c.tfidf ? [c.tfidf.test.metrics[t.metric]!] : [],
      );
      return cellText(meanStd(v.filter(Number.isFinite)));
    });
    rows.push(`| *TF-IDF + linear (context)* | ${tfidf.join(' | ')} |`);
    const majority = results.tasks.map((t) => {
      const v = doneCells(results, t.name).flatMap((c) => {
        const m = c.majority?.[t.metric];
        return typeof m === 'number' && Number.isFinite(m) ? [m] : [];
      });
      return cellText(meanStd(v));
    });
    rows.push(`| *majority class (context)* | ${majority.join(' | ')} |`);
    const published = results.tasks.map((t) => {
      const v = results.published.scores[t.name]?.[t.metric];
      return v === undefined ? '—' : `${pct(v)}†`;
    });
    rows.push(`| *BERT-Tiny, published (context)* | ${published.join(' | ')} |`);
  }
  return rows;
}

function pairedTable(results: StudyResults, ours: StudyMethod): string[] {
  const metricOf = new Map(results.tasks.map((t) => [t.name, t.metric]));
  const all = results.tasks.flatMap((t) => doneCells(results, t.name));
  const rows = [
    `| ${ours === 'bomf' ? 'BOMF' : ours} vs | ${results.tasks.map((t) => t.name).join(' | ')} | all cells | mean Δ (points) |`,
    `| --- |${results.tasks.map(() => ' :---: |').join('')} :---: | ---: |`,
  ];
  for (const b of opponents(results, ours)) {
    const per = results.tasks.map((t) => {
      const p = pairedComparison(doneCells(results, t.name), b, () => t.metric, ours);
      return `${p.wins}/${p.ties}/${p.losses}`;
    });
    const total = pairedComparison(all, b, (c) => metricOf.get(c.task)!, ours);
    const diff = fixed(100 * total.meanDiff, 2);
    rows.push(
      `| ${choiceLabel(results, b)} | ${per.join(' | ')} | **${total.wins}/${total.ties}/${total.losses}** | ${diff} |`,
    );
  }
  return rows;
}

/** Plain sentences on where BOMF is not the best (on test), derived from the numbers. */
export function verdict(results: StudyResults): string[] {
  const lines: string[] = [];
  const tasks = results.tasks.filter((t) => doneCells(results, t.name).length > 0);
  // Each BOMF choice against the baselines only (the other rule's row is not its competitor).
  const wonBy = (ours: StudyMethod) =>
    tasks.filter((t) =>
      bestMethods(results, t, 'test', [ours, ...opponents(results, 'bomf')]).includes(ours),
    );
  const counts = bomfChoices(results).map(
    (ours) => `${choiceLabel(results, ours)} on ${wonBy(ours).length}`,
  );
  lines.push(
    `Against the baselines, BOMF has the best (or tied best) mean test ${tasks.length === 1 ? 'metric' : 'metrics'} of ${tasks.length} task(s): ${counts.join('; ')}.`,
  );
  for (const t of tasks.filter((x) => !wonBy('bomf').includes(x))) {
    const best = bestMethods(results, t, 'test', opponents(results, 'bomf'))[0]!;
    const gap =
      methodStats(results, t, best, 'test').mean - methodStats(results, t, 'bomf', 'test').mean;
    lines.push(
      `- **${t.name}**: ${choiceLabel(results, 'bomf')} does not win; ${best} is ahead by ${fixed(100 * gap, 2)} points of ${t.metric} on average.`,
    );
  }
  const metricOf = new Map(results.tasks.map((t) => [t.name, t.metric]));
  const all = tasks.flatMap((t) => doneCells(results, t.name));
  for (const b of opponents(results, 'bomf')) {
    const p = pairedComparison(all, b, (c) => metricOf.get(c.task)!);
    const counts = `raw test values, before significance: ${p.wins} wins, ${p.ties} ties, ${p.losses} losses over ${all.length} cells; mean Δ ${fixed(100 * p.meanDiff, 2)} points`;
    const relation =
      p.wins > p.losses
        ? `BOMF beats **${b}** more often than it loses to it`
        : p.wins === p.losses
          ? `BOMF and **${b}** are even`
          : `BOMF **loses** to **${b}** more often than it beats it`;
    lines.push(`- ${relation} (${counts}).`);
  }
  const allTied = tasks.filter((t) =>
    doneCells(results, t.name).every((c) => {
      const values = results.methods.map((m) => testValue(c, m, t.metric));
      return values.every((v) => v !== undefined && Math.abs(v - values[0]!) <= TIE);
    }),
  );
  if (allTied.length > 0)
    lines.push(
      `- On ${allTied.map((t) => `**${t.name}**`).join(', ')} every method gets the same test ${allTied.length > 1 ? 'values' : 'value'} in every seed: the checkpoints and all their fusions make the same predictions there (an MCC of 0, or an F1 equal to that of predicting the positive class everywhere, means one class for every example), so ${allTied.length > 1 ? 'these tasks cannot' : 'this task cannot'} separate the methods.`,
    );
  const aboveBomf = tasks.filter((t) => {
    const tfidf = meanStd(
      doneCells(results, t.name).flatMap((c) => {
        const v = c.tfidf?.test.metrics[t.metric];
        return typeof v === 'number' && Number.isFinite(v) ? [v] : [];
      }),
    );
    return tfidf.n > 0 && tfidf.mean > methodStats(results, t, 'bomf', 'test').mean;
  });
  if (aboveBomf.length > 0)
    lines.push(
      `- The TF-IDF + linear context row (no pre-training, seconds of compute) has a higher mean than BOMF on ${aboveBomf.map((t) => t.name).join(', ')}${aboveBomf.length === tasks.length ? ': at this scale the fine-tuned encoder itself is the weak part, and the study compares fusion methods on the same weak checkpoints, not the level a practitioner would accept' : ''}.`,
    );
  return lines;
}

/** The whole document. `figures` are paths relative to the document. */
export function studyMarkdown(
  results: StudyResults,
  resultsPath: string,
  figures: FigureLinks,
  /** Fingerprint of the embedded model that ships now, to flag a study made with an older one. */
  shippedEmbeddedSha?: string,
  /** Hand-written reading of the results (the study's `discussion` file). */
  discussion?: string,
): string {
  const outdatedModel =
    results.model.source === 'embedded' &&
    shippedEmbeddedSha !== undefined &&
    shippedEmbeddedSha !== results.model.sha256
      ? ` This is not the bomf-tiny that ships now (SHA-256 ${shippedEmbeddedSha}…, see [model-card.md](model-card.md)); the study has not been rerun on that one.`
      : '';
  const out: string[] = [
    '# Does BOMF beat the alternatives? A small-scale study',
    '',
    `<!-- Generated by bench/study from ${resultsPath}; do not edit. -->`,
    `Generated by \`bench/study\` from \`${resultsPath}\` (updated ${results.updated}). Reproduce or resume: \`${results.command}\`.`,
    '',
    ...statusSection(results),
    '',
    '## Summary: where BOMF wins and where it does not',
    '',
    ...verdict(results),
    ...significanceVerdict(results),
    ...claimLines(results),
    '',
    ...(discussion
      ? ['## What the data says about BOMF at this scale', '', discussion.trim(), '']
      : []),
    '## Setup',
    '',
    `Each cell (task, seed) is one pipeline run of BOMF Studio with the ${results.model.source === 'embedded' ? 'embedded model (bomf-tiny)' : `model \`${results.model.source}\``} (model.safetensors SHA-256 ${results.model.sha256}…; the study copies it once so all cells share it): stage 1 (hyperparameter BO on the proxy), stage 2 (fine-tuning, K checkpoints), stage 3 (BOMF) and every baseline on the same K checkpoints, each evaluated on the held-out test split that nothing selects on. The seed changes the data subsets, the validation carve-out, the initialization of the head and every search. Seeds: ${results.seeds.join(', ')}.${outdatedModel}`,
    '',
    ...setupTable(results),
    '',
    ...timeLine(results),
    '',
    'Methods:',
    '',
    ...results.methods.map((m) => `- \`${m}\`: ${methodNote(m)}.`),
    '',
    '## Test results',
    '',
    `Test metric × 100, mean ± standard deviation over seeds; the best of the fusion methods per task in **bold** (context rows are not competitors). Ties within ${TIE} count as ties below.`,
    '',
    ...resultsTable(results, 'test'),
    '',
    `† ${results.published.citation}: GLUE test-server scores of a model pre-trained on billions of words, not measured here and not on our test subsets; shown for the absolute level only. The TF-IDF row is a logistic regression (ridge for regression tasks) on word 1–2-gram TF-IDF features (plus the cosine of the two sentences for pair tasks) trained on the same training split, its regularization chosen on the same validation split.`,
    '',
    '### BOMF against each baseline, paired by seed',
    '',
    'Wins / ties / losses of BOMF on the test metric, same task and seed (so the same checkpoints); mean Δ = BOMF − baseline over all cells, in metric points.',
    '',
    ...bomfChoices(results).flatMap((ours) => [...pairedTable(results, ours), '']),
    ...significanceSection(results),
    '',
    '### Validation (what the methods select on)',
    '',
    ...resultsTable(results, 'validation'),
    '',
    ...hypervolumeSection(results, figures.hypervolume),
    '',
    ...landscapeSection(results, figures.landscape),
    '',
    ...transferSection(results, figures.transfer),
    '',
    '## Caveats',
    '',
    '- Small scale: a 2-layer encoder pre-trained on this machine, training subsets of hundreds to a few thousand examples, K and budgets far below the paper (RoBERTa-base, full GLUE, ~15 members, ~75 evaluations). Differences of a point or two are within seed noise at these sizes; read the paired counts, not single means.',
    "- GLUE test labels are hidden, so each task's GLUE dev set (or a subset) is the test split here; validation is carved from train.",
    "- All fusion methods share each cell's checkpoints; only stage 3 / stage 4 differ between them.",
    '',
  ];
  return out.join('\n');
}
