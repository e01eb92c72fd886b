/**
 * The compare-runs page: the selected runs' Pareto fronts, stage-1 histories and training
 * losses overlaid (one colour per run, the same in every chart), then their results and
 * resolved configs side by side with the differing rows marked.
 */
import type { ChartDataset, ChartOptions, TooltipItem } from 'chart.js';
import {
  type ComparedRunData,
  type ComparePersistedState,
  type ExperimentsWebviewMessage,
  isCompareMessage,
} from '../../contract/experiments-protocol';
import { foldLog } from '../../contract/fold';
import {
  type ComparedRun,
  configDiff,
  type DiffRow,
  frontOverlay,
  historyOverlay,
  type RunSeries,
  resultsDiff,
  trainLossOverlay,
} from '../model/compare';
import { tableColumns } from '../model/experiments-table';
import { card } from './card';
import { chartCard } from './chart-card';
import {
  applyChartDefaults,
  axis,
  legendOptions,
  registerCharts,
  tooltipOptions,
} from './chart-setup';
import { el, formatNumber } from './dom';
import { formatCell } from './experiments-page';
import type { PanelView } from './panel';
import { type Palette, readPalette, watchTheme } from './theme';
import type { PageHost } from './vscode-api';

export type CompareHost = PageHost<ExperimentsWebviewMessage, ComparePersistedState>;

type Datum = { x: number; y: number };

const runColor = (p: Palette, i: number) => p.series[i % p.series.length]!;

function lineOptions(p: Palette, x: string, y: string, integerX = false): ChartOptions<'scatter'> {
  const ticks = integerX ? { ticks: { color: p.foreground, precision: 0 } } : {};
  return {
    scales: { x: axis(p, x, { type: 'linear' as const, ...ticks }), y: axis(p, y) },
    plugins: {
      legend: legendOptions(p),
      tooltip: {
        ...tooltipOptions(p),
        callbacks: {
          label: (item: TooltipItem<'scatter'>) =>
            `${item.dataset.label}: ${formatNumber((item.raw as Datum).x)}, ${formatNumber((item.raw as Datum).y)}`,
        },
      },
    },
  };
}

function seriesDatasets(series: RunSeries[], p: Palette, stepped = false) {
  return series.map(
    (s, i): ChartDataset<'scatter', Datum[]> => ({
      label: s.title,
      data: s.points,
      showLine: true,
      stepped: stepped ? ('before' as const) : false,
      borderColor: runColor(p, i),
      backgroundColor: runColor(p, i),
      borderWidth: 1.5,
      pointRadius: stepped ? 2 : 0,
    }),
  );
}

function overlayCard(
  palette: Palette,
  spec: { title: string; testId: string; x: string; y: string; stepped?: boolean },
  build: (runs: ComparedRun[]) => RunSeries[],
): PanelView<ComparedRun[]> {
  return chartCard<'scatter', Datum[], ComparedRun[]>({
    title: spec.title,
    testId: spec.testId,
    chartTestId: `${spec.testId}-chart`,
    type: 'scatter',
    palette,
    // Trial numbers are integers: no 0.2 ticks on the stage-1 axis.
    options: (p) => lineOptions(p, spec.x, spec.y, spec.stepped),
    draw: (runs, p) => {
      const series = build(runs);
      return {
        empty: series.every((s) => s.points.length === 0)
          ? 'No run has reached this stage.'
          : undefined,
        datasets: seriesDatasets(series, p, spec.stepped),
      };
    },
  });
}

function frontsCard(palette: Palette): PanelView<ComparedRun[]> {
  const view = chartCard<'scatter', Datum[], ComparedRun[]>({
    title: 'Pareto fronts (validation)',
    testId: 'compare-fronts',
    chartTestId: 'compare-fronts-chart',
    wide: true,
    tall: true,
    type: 'scatter',
    palette,
    options: (p) => lineOptions(p, 'validation loss', 'validation metric'),
    draw: (runs, p) => {
      const overlay = frontOverlay(runs);
      const scales = view.chart.options.scales;
      if (scales?.x?.title) scales.x.title.text = overlay.xDim.label;
      if (scales?.y?.title) scales.y.title.text = overlay.yDim.label;
      view.box.dataset.fronts = JSON.stringify(overlay.fronts.map((f) => f.points.length));
      const chosen = overlay.chosen.flatMap((c, i): ChartDataset<'scatter', Datum[]>[] =>
        c
          ? [
              {
                label: `${runs[i]!.title} · chosen`,
                data: [c],
                pointStyle: 'star',
                pointRadius: 9,
                borderColor: runColor(p, i),
                backgroundColor: runColor(p, i),
              },
            ]
          : [],
      );
      return {
        empty: overlay.fronts.every((f) => f.points.length === 0)
          ? 'No run has a Pareto front yet.'
          : undefined,
        datasets: [
          ...seriesDatasets(overlay.fronts, p).map((d) => ({ ...d, pointRadius: 3 })),
          ...chosen,
        ],
      };
    },
  });
  return view;
}

function diffTable(testId: string, titles: string[], rows: DiffRow[]): HTMLTableElement {
  return el(
    'table',
    { class: 'results compare-diff', 'data-testid': testId },
    el('thead', {}, el('tr', {}, el('th', {}), ...titles.map((t) => el('th', { text: t })))),
    el(
      'tbody',
      {},
      ...rows.map((r) =>
        el(
          'tr',
          { class: r.differs ? 'differs' : undefined, 'data-key': r.key },
          el('th', { text: r.key }),
          ...r.values.map((v) => el('td', { text: v })),
        ),
      ),
    ),
  );
}

export function startCompare(host: CompareHost, root: HTMLElement): void {
  registerCharts();
  let palette = readPalette();
  applyChartDefaults(palette);
  const charts: PanelView<ComparedRun[]>[] = [
    frontsCard(palette),
    overlayCard(
      palette,
      {
        title: 'Stage 1 · best objective so far',
        testId: 'compare-history',
        x: 'trial',
        y: 'best objective',
        stepped: true,
      },
      historyOverlay,
    ),
    overlayCard(
      palette,
      {
        title: 'Stage 2 · training loss',
        testId: 'compare-train-loss',
        x: 'step',
        y: 'training loss',
      },
      trainLossOverlay,
    ),
  ];
  const results = card('Results', 'compare-results', true);
  const config = card('Resolved configs', 'compare-config', true);
  const onlyDiffs = el('input', { type: 'checkbox', 'data-testid': 'only-differences' });
  onlyDiffs.checked = true;
  config.toolbar.append(el('label', {}, onlyDiffs, ' only differences'));
  root.append(
    el('h2', { text: 'Compare runs' }),
    el('div', { class: 'grid' }, ...charts.map((c) => c.root), results.root, config.root),
  );

  let data: ComparedRunData[] = [];
  let runs: ComparedRun[] = [];
  const drawTables = () => {
    const titles = data.map((d) => d.row.title);
    const rows = data.map((d) => d.row);
    results.body.replaceChildren(
      el(
        'div',
        { class: 'table-scroll' },
        diffTable(
          'compare-results-table',
          titles,
          resultsDiff(rows, tableColumns(rows).slice(1), formatCell),
        ),
      ),
    );
    const diff = configDiff(data.map((d) => d.config));
    const shown = onlyDiffs.checked ? diff.filter((r) => r.differs) : diff;
    config.setEmpty(shown.length === 0 ? 'The resolved configs are identical.' : undefined);
    config.body.replaceChildren(
      el('div', { class: 'table-scroll' }, diffTable('compare-config-table', titles, shown)),
    );
  };
  onlyDiffs.addEventListener('change', drawTables);

  window.addEventListener('message', (event: MessageEvent) => {
    if (!isCompareMessage(event.data)) return;
    data = event.data.runs;
    host.setState({ runDirs: data.map((d) => d.row.runDir) });
    runs = data.map((d) => ({ title: d.row.title, fold: foldLog(d.events) }));
    for (const c of charts) c.render(runs);
    drawTables();
  });
  watchTheme(() => {
    palette = readPalette();
    applyChartDefaults(palette);
    for (const c of charts) c.applyTheme(palette);
  });
  host.post({ type: 'ready' });
}
