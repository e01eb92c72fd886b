/** Stage 1 card: every trial in a table sorted by a clicked header (objective, best first, by default). */
import type { RunFold } from '../../contract/fold';
import { sortedTrials, type TrialColumn, trialColumns, trialValue } from '../model/trial-table';
import { card } from './card';
import { el, formatNumber } from './dom';
import type { PanelView } from './panel';

export function trialTablePanel(): PanelView {
  const c = card('Stage 1 · trials', 'trial-table-card', true);
  const table = el('table', { class: 'results experiments', 'data-testid': 'trial-table' });
  c.body.append(el('div', { class: 'table-scroll' }, table));
  let sortKey = 'objective';
  let descending = true;
  let last: RunFold | undefined;

  const header = (columns: TrialColumn[]) =>
    el(
      'tr',
      {},
      ...columns.map((col) => {
        const th = el('th', {
          class: col.numeric ? 'num sortable' : 'sortable',
          'data-column': col.key,
          'aria-sort': col.key === sortKey ? (descending ? 'descending' : 'ascending') : undefined,
          text: col.label + (col.key === sortKey ? (descending ? ' ▼' : ' ▲') : ''),
        });
        th.addEventListener('click', () => {
          if (sortKey === col.key) descending = !descending;
          else {
            sortKey = col.key;
            descending = col.key === 'objective';
          }
          if (last) render(last);
        });
        return th;
      }),
    );

  function render(run: RunFold): void {
    last = run;
    const columns = trialColumns(run);
    c.setEmpty(run.trials.size === 0 ? 'No trial has started.' : undefined);
    const rows = sortedTrials(run, sortKey, descending).map((t) =>
      el(
        'tr',
        { 'data-trial': t.trial, title: t.error },
        ...columns.map((col) => {
          const v = trialValue(t, col.key);
          return el('td', {
            class: col.numeric ? 'num' : undefined,
            text: typeof v === 'number' ? formatNumber(v) : (v ?? '–'),
          });
        }),
      ),
    );
    table.replaceChildren(el('thead', {}, header(columns)), el('tbody', {}, ...rows));
  }

  return { root: c.root, render, applyTheme: () => {} };
}
