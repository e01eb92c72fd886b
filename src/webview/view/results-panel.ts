/** Results card: validation and test loss/metrics of BOMF and each baseline. */
import type { Evaluation } from '../../contract/events';
import type { RunFold } from '../../contract/fold';
import type { BaselineName } from '../../contract/fusion-events';
import type { TestComparison } from '../../engine/report/significance';
import { resultsTable } from '../model/results';
import { card } from './card';
import { el, formatNumber, formatWeights } from './dom';
import type { PanelView } from './panel';

/** The verdict in a few words; the cell's tooltip has the difference and its interval. */
export const VERDICT_TEXT: Record<TestComparison['verdict'], string> = {
  'bomf-better': 'BOMF better',
  'baseline-better': 'baseline better',
  noise: 'no clear difference (noise)',
  identical: 'same predictions',
};

export function resultsPanel(): PanelView {
  const c = card('Results · BOMF and baselines', 'results-card', true);
  const table = el('table', { class: 'results', 'data-testid': 'results-table' });
  c.body.append(el('div', { class: 'table-scroll' }, table));

  function render(run: RunFold): void {
    const t = resultsTable(run);
    c.setEmpty(t.rows.length === 0 ? 'No results yet: they come after fusion.' : undefined);
    const columns = ['loss', ...t.metricNames];
    const head = el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { rowspan: 2, text: 'Method' }),
        el('th', { colspan: columns.length, class: 'group', text: 'Validation' }),
        el('th', { colspan: columns.length, class: 'group', text: 'Test' }),
        el('th', { rowspan: 2, text: 'BOMF vs this (test)' }),
        el('th', { rowspan: 2, text: 'Weights' }),
      ),
      el(
        'tr',
        {},
        ...[...columns, ...columns].map((name) => el('th', { class: 'num', text: name })),
      ),
    );
    const cells = (e: Evaluation | undefined, isTest: boolean, method: string) =>
      columns.map((name) => {
        const v = name === 'loss' ? e?.loss : e?.metrics[name];
        const tied = isTest ? (t.bestTest[name] ?? []) : [];
        const best = tied.includes(method as BaselineName);
        return el('td', {
          class: best ? 'num best' : 'num',
          text: formatNumber(v),
          title: best ? bestTitle(tied.length) : undefined,
        });
      });
    const body = el(
      'tbody',
      {},
      ...t.rows.map((r) =>
        el(
          'tr',
          { 'data-method': r.method, class: r.method === 'bomf' ? 'ours' : undefined },
          el('th', {
            scope: 'row',
            text: r.label,
            title: r.notes.length > 0 ? r.notes.join('\n') : undefined,
          }),
          ...cells(r.validation, false, r.method),
          ...cells(r.test, true, r.method),
          el('td', {
            class: r.versusBomf ? `verdict ${r.versusBomf.verdict}` : undefined,
            text: r.versusBomf ? VERDICT_TEXT[r.versusBomf.verdict] : '',
            title: r.versusBomf?.summary,
          }),
          el('td', { class: 'weights', text: formatWeights(r.weights) }),
        ),
      ),
    );
    table.replaceChildren(head, body);
  }

  return { root: c.root, render, applyTheme: () => {} };
}

function bestTitle(tiedMethods: number): string {
  return tiedMethods > 1
    ? `best on test, tied with ${tiedMethods - 1} other method(s)`
    : 'best on test';
}
