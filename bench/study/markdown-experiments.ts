/**
 * The markdown sections of the study's side results: hypervolume curves, the
 * landscape plane (claim 1) and the proxy → full transfer (claim 2).
 */
import { fixed, pct } from './format';
import type { StudyResults } from './results';
import { doneCells, meanStd } from './stats';
import type { TransferResult } from './transfer';

/** What the proxy → full comparison says, including the degenerate cases. */
export function transferSentence(t: TransferResult): string {
  const proxies = t.trials.map((x) => x.proxy);
  const fulls = t.trials.map((x) => x.full);
  const range = (v: number[]) => `${pct(Math.min(...v))}–${pct(Math.max(...v))}`;
  if (t.trials.length === 0) return 'no trial trained on the full model yet.';
  if (new Set(proxies).size === 1)
    return `the proxy gives all ${t.trials.length} trials the same objective (${pct(proxies[0])}), so it cannot rank them (ρ undefined); on the full model the same hyperparameters give ${range(fulls)}.`;
  const top = Math.max(...proxies);
  const tiedTop = proxies.filter((v) => v === top).length;
  const best =
    tiedTop > 1
      ? `the proxy's best objective is shared by ${tiedTop} trials`
      : `the proxy's best trial is ${t.sameBest ? '' : '**not** '}the full model's best`;
  return `Spearman ρ of proxy vs full objectives over ${t.trials.length} trials = **${fixed(t.spearman, 3)}** (proxy ${range(proxies)}, full ${range(fulls)}); ${best}.`;
}

/** One line per side experiment for the summary. */
export function claimLines(results: StudyResults): string[] {
  const lines: string[] = [];
  const l = results.landscape;
  if (l) {
    const same = l.argminLoss.a === l.argmaxMetric.a && l.argminLoss.b === l.argmaxMetric.b;
    lines.push(
      `- Claim 1 (landscapes disagree): on the plane through three checkpoints of ${l.task}, the rank agreement of −loss and ${l.metric} is ${fixed(l.rankAgreement, 2)}; the lowest loss and the highest ${l.metric} are ${same ? 'at the same grid point' : 'at different grid points'}.`,
    );
  }
  const t = results.transfer;
  if (t) lines.push(`- Claim 2 (proxy → full transfer), ${t.task}: ${transferSentence(t)}`);
  return lines;
}

export function hypervolumeSection(results: StudyResults, figure?: string): string[] {
  const lines = ['## Hypervolume of the fusion searches', ''];
  lines.push(
    'Hypervolume (in the normalized objective space of the run: each objective scaled so that 0 is the worst and 1 the best checkpoint; reference point 0) of the checkpoints plus the fused models each search has evaluated on validation, after each evaluation (0 = the checkpoints alone, which every search gets for free), averaged over seeds. The single-objective searches are scored in the same space, so the curves show how much of the loss–metric trade-off each search covers. All three searches start with the same Sobol design (same seed), so their curves coincide until the acquisition functions take over.',
    '',
  );
  if (figure) lines.push(`![hypervolume curves](${figure})`, '');
  lines.push('| task | BOMF | sobo-metric | sobo-loss |', '| --- | ---: | ---: | ---: |');
  const searches = ['bomf', 'sobo-metric', 'sobo-loss'] as const;
  const finalHV = (task: string, m: (typeof searches)[number]) =>
    meanStd(
      doneCells(results, task).flatMap((c) =>
        c.hypervolume[m] ? [c.hypervolume[m]!.at(-1)!] : [],
      ),
    );
  const bomfAhead: string[] = [];
  const tasks = results.tasks.filter((t) => doneCells(results, t.name).length > 0);
  for (const t of tasks) {
    const text = searches.map((m) => {
      const s = finalHV(t.name, m);
      return s.n ? `${fixed(s.mean, 3)}${s.n > 1 ? ` ± ${fixed(s.std, 3)}` : ''}` : '—';
    });
    lines.push(`| ${t.name} | ${text.join(' | ')} |`);
    const [ours, ...theirs] = searches.map((m) => finalHV(t.name, m).mean);
    if (theirs.every((v) => ours! >= v)) bomfAhead.push(t.name);
  }
  lines.push(
    '',
    `The multi-objective search ends with the highest mean hypervolume on ${bomfAhead.length} of ${tasks.length} task(s)${bomfAhead.length ? ` (${bomfAhead.join(', ')})` : ''}${bomfAhead.length < tasks.length ? '; on the others a single-objective search covers more of the trade-off' : ''}.`,
  );
  return lines;
}

export function landscapeSection(results: StudyResults, figure?: string): string[] {
  const l = results.landscape;
  const lines = ['## Claim 1: loss and metric landscapes disagree', ''];
  if (!l) return [...lines, 'Not computed yet (its cell is not done).'];
  const fmtPt = (p: { a: number; b: number }) => `(a, b) = (${fixed(p.a, 2)}, ${fixed(p.b, 2)})`;
  lines.push(
    `Validation loss and ${l.metric} of θ0 + a(θ1−θ0) + b(θ2−θ0) on a ${l.axis.length}×${l.axis.length} grid, a, b ∈ [${l.axis[0]}, ${l.axis.at(-1)}], through checkpoints ${l.checkpoints.map((c) => `#${c.index} (step ${c.step})`).join(', ')} of ${l.task}, seed ${l.seed}. The white triangle is the fusion simplex.`,
    '',
  );
  if (figure) lines.push(`![loss and metric landscapes](${figure})`, '');
  lines.push(
    `- Rank agreement of −loss and ${l.metric} over the grid (Spearman): **${fixed(l.rankAgreement, 3)}** (1 would mean the two landscapes order all points the same way).`,
    `- Lowest loss at ${fmtPt(l.argminLoss)}; highest ${l.metric} at ${fmtPt(l.argmaxMetric)}${l.argminLoss.a === l.argmaxMetric.a && l.argminLoss.b === l.argmaxMetric.b ? ' — the same grid point' : ' — different points'}.`,
  );
  return lines;
}

export function transferSection(results: StudyResults, figure?: string): string[] {
  const t = results.transfer;
  const lines = ['## Claim 2: hyperparameters found on the proxy transfer to the full model', ''];
  if (!t) return [...lines, 'Not computed yet (its cell is not done).'];
  lines.push(
    `Every stage-1 trial of ${t.task}, seed ${t.seed} (proxy: ${t.proxy.lora !== undefined ? `LoRA rank ${t.proxy.lora}` : `embeddings and ${t.proxy.freeze ?? 0} bottom layer(s) frozen`}) trained again on the full model with the same hyperparameters; objective = best validation ${t.metric} along the trajectory.`,
    '',
  );
  if (figure) lines.push(`![proxy vs full](${figure})`, '');
  const sentence = transferSentence(t);
  lines.push(`- ${sentence[0]!.toUpperCase()}${sentence.slice(1)}`);
  if (t.pending > 0) lines.push(`- ${t.pending} trial(s) not trained on the full model yet.`);
  lines.push('', '| trial | hyperparameters | proxy | full |', '| ---: | --- | ---: | ---: |');
  for (const x of t.trials) {
    const params = Object.entries(x.params)
      .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(3)}`)
      .join(', ');
    lines.push(`| ${x.trial} | ${params} | ${pct(x.proxy)} | ${pct(x.full)} |`);
  }
  return lines;
}
