/**
 * The study document's setup and status parts: what each task ran with, where
 * the compute went, which cells are done.
 */
import { fixed } from './format';
import type { StudyResults } from './results';
import { doneCells, meanStd } from './stats';

export function setupTable(results: StudyResults): string[] {
  const rows = [
    '| task | metric | train / validation / test examples | checkpoints K | fusion budget | stage-1 trials | wall time per cell (min) |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const t of results.tasks) {
    const cells = doneCells(results, t.name);
    const c = cells[0];
    const minutes = meanStd(
      cells.map((x) => Object.values(x.stageSeconds).reduce((a, b) => a + b, 0) / 60),
    );
    rows.push(
      c
        ? `| ${t.name} | ${t.metric} (${t.kind}) | ${c.sizes.train} / ${c.sizes.validation} / ${c.sizes.test} | ${c.checkpoints} | ${(c.hypervolume.bomf?.length ?? 1) - 1} | ${c.trials.length} | ${fixed(minutes.mean, 1)} |`
        : `| ${t.name} | ${t.metric} (${t.kind}) | not run yet | | | | |`,
    );
  }
  return rows;
}

/** Where the compute went, summed over the done cells. */
export function timeLine(results: StudyResults): string[] {
  const done = results.cells.filter((c) => c.status === 'done');
  const byStage = new Map<string, number>();
  for (const c of done)
    for (const [stage, sec] of Object.entries(c.stageSeconds))
      byStage.set(stage, (byStage.get(stage) ?? 0) + sec);
  const total = [...byStage.values()].reduce((a, b) => a + b, 0);
  const side =
    (results.landscape?.seconds ?? 0) +
    (results.transfer?.trials.reduce((a, t) => a + t.seconds, 0) ?? 0);
  const parts = [...byStage].map(([stage, sec]) => `${stage} ${fixed(sec / 60, 1)}`).join(', ');
  return [
    `Compute of the ${done.length} done cells: ${fixed(total / 60, 1)} min (${parts}; stage 4 "baselines" includes the two single-objective searches), plus ${fixed(side / 60, 1)} min for the two side experiments, on the ${done[0]?.backend ?? '?'} backend of a shared 2-core machine.`,
  ];
}

export function statusSection(results: StudyResults): string[] {
  const total = results.seeds.length * results.tasks.length;
  const done = results.cells.filter((c) => c.status === 'done');
  const lines = [`${done.length} of ${total} cells (task × seed) are done.`];
  if (done.length < total) {
    const missing = results.seeds.flatMap((s) =>
      results.tasks
        .filter((t) => !done.some((c) => c.task === t.name && c.seed === s))
        .map((t) => `${t.name}-s${s}`),
    );
    lines.push(
      '',
      `**The study is incomplete.** Done: ${done.map((c) => `${c.task}-s${c.seed}`).join(', ') || 'none'}. Not done: ${missing.join(', ')}.`,
      `Resume it with \`${results.command}\` (finished cells are kept, an interrupted cell continues where it stopped).`,
    );
  }
  return lines;
}
