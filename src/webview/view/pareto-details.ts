/** The side pane of the Pareto card: the selected (or chosen) fused model and its export. */
import type { Evaluation } from '../../contract/events';
import type { FusionEvalEvent } from '../../contract/fusion-events';
import type { ParetoSeries } from '../model/pareto';
import { el, formatNumber } from './dom';

const SOURCE_LABEL: Record<FusionEvalEvent['source'], string> = {
  member: 'a collected checkpoint',
  initial: 'initial design',
  bo: 'BO suggestion',
  baseline: 'a baseline (SWA or a greedy soup), evaluated before the search',
};

/** [name, value] of the loss and each metric. */
function evaluationEntries(v: Evaluation): [string, number][] {
  return [['loss', v.loss], ...Object.entries(v.metrics)];
}

/** "loss 0.396", "accuracy 0.852", …: tooltip lines. */
export function evaluationLines(v: Evaluation): string[] {
  return evaluationEntries(v).map(([k, x]) => `${k} ${formatNumber(x)}`);
}

function weightBars(weights: readonly number[]): HTMLElement {
  return el(
    'div',
    { class: 'weight-bars' },
    ...weights.map((w, k) => {
      const fill = el('span', { class: 'weight-fill' });
      fill.style.width = `${Math.max(0, Math.min(1, w)) * 100}%`;
      return el(
        'div',
        { class: 'weight-row' },
        el('span', { class: 'weight-label', text: `ckpt ${k}` }),
        el('span', { class: 'weight-track' }, fill),
        el('span', { class: 'weight-value', text: w.toFixed(3) }),
      );
    }),
  );
}

/**
 * Shows the evaluation `selected` (or, with none selected, the chosen model) in `pane`,
 * with an "Export this fused model" button that calls `onExport`.
 */
export function renderParetoDetails(
  pane: HTMLElement,
  s: ParetoSeries,
  selected: number | undefined,
  onExport: (weights: number[], evalIndex: number) => void,
): void {
  const pt = s.points.find((q) => q.index === selected) ?? s.chosen;
  if (!pt) {
    pane.replaceChildren(
      el('p', { class: 'muted', text: 'Click a point to see its fusion weights and export it.' }),
    );
    return;
  }
  const isChosen = pt.index === s.chosen?.index;
  const badges = [
    SOURCE_LABEL[pt.source],
    pt.onFront ? 'on the Pareto front' : '',
    isChosen ? 'chosen' : '',
  ].filter(Boolean);
  const values = el(
    'table',
    { class: 'kv' },
    ...evaluationEntries(pt.validation).map(([k, v]) =>
      el('tr', {}, el('th', { text: `validation ${k}` }), el('td', { text: formatNumber(v) })),
    ),
  );
  const exportButton = el('button', {
    type: 'button',
    'data-testid': 'export-fused',
    text: 'Export this fused model',
  });
  exportButton.addEventListener('click', () => onExport([...pt.weights], pt.index));
  pane.replaceChildren(
    el('h3', {
      text: `Evaluation #${pt.index}${selected === undefined && isChosen ? ' (chosen)' : ''}`,
    }),
    el('p', { class: 'muted', text: badges.join(' · ') }),
    values,
    el('h4', { text: 'Fusion weights' }),
    weightBars(pt.weights),
    exportButton,
  );
}
