/**
 * The experiments table page: one row per run, sorted by a clicked header, filtered by a text
 * box, with columns the user picks. Sort, filter, hidden columns and the selection persist in
 * the webview state, so the table looks the same after a reload or when shown again.
 */
import {
  type ExperimentRow,
  type ExperimentsPersistedState,
  type ExperimentsWebviewMessage,
  isExperimentsHostMessage,
} from '../../contract/experiments-protocol';
import { formatDuration } from '../../contract/timing';
import {
  cellValue,
  filterRows,
  sortRows,
  type TableColumn,
  tableColumns,
} from '../model/experiments-table';
import { el, formatNumber } from './dom';
import { VERDICT_TEXT } from './results-panel';
import type { PageHost } from './vscode-api';

export type ExperimentsHost = PageHost<ExperimentsWebviewMessage, ExperimentsPersistedState>;

/** The text a cell shows; the filter matches the same text. */
export function formatCell(row: ExperimentRow, column: TableColumn): string {
  const v = cellValue(row, column.key);
  if (column.key === 'duration') return v === undefined ? '–' : formatDuration(v as number);
  if (column.key === 'difference' && typeof v === 'number') {
    return `${v > 0 ? '+' : ''}${formatNumber(v)}`;
  }
  if (typeof v === 'number') return formatNumber(v);
  return v ?? '–';
}

export function startExperimentsTable(host: ExperimentsHost, root: HTMLElement): void {
  const saved = host.getState() ?? {};
  const state: ExperimentsPersistedState = {
    sortColumn: saved.sortColumn ?? 'title',
    descending: saved.descending ?? false,
    filter: saved.filter ?? '',
    hidden: saved.hidden ?? [],
    selected: saved.selected ?? [],
  };
  const persist = () => host.setState({ ...state });
  let rows: ExperimentRow[] = [];

  const filter = el('input', {
    type: 'search',
    placeholder: 'Filter runs (every word must match)',
    'aria-label': 'Filter runs',
    'data-testid': 'experiments-filter',
    value: state.filter,
  });
  const open = el('button', { 'data-testid': 'open-runs', text: 'Open' });
  const compare = el('button', { 'data-testid': 'compare-runs', text: 'Compare' });
  const count = el('span', { class: 'muted' });
  const columnsMenu = el('div', { class: 'column-choices' });
  const columnsPicker = el(
    'details',
    { class: 'columns-picker' },
    el('summary', { text: 'Columns' }),
    columnsMenu,
  );
  const table = el('table', { class: 'results experiments', 'data-testid': 'experiments-table' });
  root.append(
    el('h2', { text: 'Experiments' }),
    el('div', { class: 'toolbar' }, filter, columnsPicker, open, compare, count),
    el('div', { class: 'table-scroll' }, table),
  );

  const selected = () => new Set(state.selected);
  const redraw = () => {
    const all = tableColumns(rows);
    const hidden = new Set(state.hidden);
    const shown = all.filter((c) => !hidden.has(c.key) || c.key === 'title');
    const sortKey = all.some((c) => c.key === state.sortColumn) ? state.sortColumn! : 'title';
    const visible = sortRows(
      filterRows(rows, shown, state.filter ?? '', formatCell),
      sortKey,
      state.descending ?? false,
    );
    const chosen = selected();
    drawColumnChoices(all, hidden);
    const header = el(
      'tr',
      {},
      el('th', {}),
      ...shown.map((c) => {
        const arrow = c.key === sortKey ? (state.descending ? ' ▼' : ' ▲') : '';
        const th = el('th', {
          class: c.numeric ? 'num sortable' : 'sortable',
          'data-column': c.key,
          'aria-sort':
            c.key === sortKey ? (state.descending ? 'descending' : 'ascending') : undefined,
          title: 'Sort by this column',
          text: c.label + arrow,
        });
        th.addEventListener('click', () => {
          // Numbers are most often wanted best-first; a second click flips the order.
          if (state.sortColumn === c.key) state.descending = !state.descending;
          else {
            state.sortColumn = c.key;
            state.descending = c.numeric;
          }
          persist();
          redraw();
        });
        return th;
      }),
    );
    const body = visible.map((r) => {
      const box = el('input', { type: 'checkbox', 'aria-label': `Select ${r.title}` });
      box.checked = chosen.has(r.runDir);
      box.addEventListener('change', () => {
        const next = selected();
        if (box.checked) next.add(r.runDir);
        else next.delete(r.runDir);
        state.selected = [...next];
        persist();
        redraw();
      });
      const tr = el(
        'tr',
        { 'data-run-dir': r.runDir, class: box.checked ? 'selected' : undefined },
        el('td', {}, box),
        ...shown.map((c) =>
          el('td', {
            class: c.numeric ? 'num' : undefined,
            'data-column': c.key,
            title:
              c.key === 'difference' && r.verdict
                ? `BOMF vs ${r.bestBaseline} on test: ${VERDICT_TEXT[r.verdict]}`
                : undefined,
            text: formatCell(r, c),
          }),
        ),
      );
      tr.addEventListener('dblclick', () => host.post({ type: 'open-runs', runDirs: [r.runDir] }));
      return tr;
    });
    table.replaceChildren(el('thead', {}, header), el('tbody', {}, ...body));
    const picked = rows.filter((r) => chosen.has(r.runDir)).map((r) => r.runDir);
    open.disabled = picked.length === 0;
    compare.disabled = picked.length < 2;
    count.textContent = `${visible.length} of ${rows.length} runs · ${picked.length} selected`;
  };

  const drawColumnChoices = (all: TableColumn[], hidden: Set<string>) => {
    columnsMenu.replaceChildren(
      ...all
        .filter((c) => c.key !== 'title')
        .map((c) => {
          const box = el('input', { type: 'checkbox', 'data-column': c.key });
          box.checked = !hidden.has(c.key);
          box.addEventListener('change', () => {
            const next = new Set(state.hidden);
            if (box.checked) next.delete(c.key);
            else next.add(c.key);
            state.hidden = [...next];
            persist();
            redraw();
          });
          return el('label', {}, box, ` ${c.label}`);
        }),
    );
  };

  const selectedRunDirs = () => rows.map((r) => r.runDir).filter((d) => selected().has(d));
  filter.addEventListener('input', () => {
    state.filter = filter.value;
    persist();
    redraw();
  });
  open.addEventListener('click', () => {
    const runDirs = selectedRunDirs();
    if (runDirs.length > 0) host.post({ type: 'open-runs', runDirs });
  });
  compare.addEventListener('click', () => {
    const runDirs = selectedRunDirs();
    if (runDirs.length >= 2) host.post({ type: 'compare-runs', runDirs });
  });
  window.addEventListener('message', (event: MessageEvent) => {
    if (!isExperimentsHostMessage(event.data)) return;
    rows = event.data.rows;
    redraw();
  });
  persist();
  redraw();
  host.post({ type: 'ready' });
}
