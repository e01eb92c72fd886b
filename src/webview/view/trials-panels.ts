/** Stage 1 cards: trial history with best-so-far, and hyperparameter vs objective. */
import { Chart, type ChartDataset, type TooltipItem } from 'chart.js';
import type { RunFold } from '../../contract/fold';
import { paramScatters, trialHistory } from '../model/trials';
import { card, chartBox } from './card';
import { axis, legendOptions, replaceOptions, syncDatasets, tooltipOptions } from './chart-setup';
import { el, formatNumber, setOptions } from './dom';
import type { PanelView } from './panel';
import type { Palette } from './theme';

interface TrialDatum {
  x: number;
  y: number;
  /** Tooltip lines. */
  info: string[];
}

function paramLines(params: Record<string, number>): string[] {
  return Object.entries(params).map(([k, v]) => `${k} = ${formatNumber(v)}`);
}

export function trialHistoryPanel(palette: Palette): PanelView {
  const c = card('Stage 1 · trial history', 'trials-card');
  const { box, canvas } = chartBox('trials-chart');
  c.body.append(box);
  let p = palette;
  let last: RunFold | undefined;
  const options = () => ({
    scales: {
      x: axis(p, 'trial', {
        type: 'linear' as const,
        ticks: { color: p.foreground, precision: 0 },
      }),
      y: axis(p, 'objective (best validation metric)'),
    },
    plugins: {
      legend: legendOptions(p),
      tooltip: {
        ...tooltipOptions(p),
        callbacks: { label: (item: TooltipItem<'scatter'>) => (item.raw as TrialDatum).info },
      },
    },
  });
  const chart = new Chart<'scatter', TrialDatum[]>(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: options(),
  });

  function render(run: RunFold): void {
    last = run;
    const h = trialHistory(run);
    c.setEmpty(
      h.done.length + h.failed.length + h.running.length === 0 ? 'No trials yet.' : undefined,
    );
    const objectives = h.done.map((d) => d.objective);
    const lo = objectives.length > 0 ? Math.min(...objectives) : 0;
    const hi = objectives.length > 0 ? Math.max(...objectives) : 1;
    // Failed trials have no objective: draw them just under the lowest one.
    const failedY = lo - Math.max((hi - lo) * 0.15, Math.abs(lo) * 0.02, 0.01);
    const datasets: ChartDataset<'scatter', TrialDatum[]>[] = [
      {
        label: 'best so far',
        data: h.bestSoFar.map((b) => ({
          x: b.trial,
          y: b.best,
          info: [`best so far ${formatNumber(b.best)}`],
        })),
        showLine: true,
        stepped: 'before',
        borderColor: p.front,
        backgroundColor: p.front,
        pointRadius: 0,
        borderWidth: 2,
      },
      {
        label: 'trial objective',
        data: h.done.map((d) => ({
          x: d.trial,
          y: d.objective,
          info: [
            `trial ${d.trial} (${d.source}): ${formatNumber(d.objective)}`,
            ...paramLines(d.params),
          ],
        })),
        borderColor: p.primary,
        backgroundColor: p.primary,
        pointRadius: 4,
      },
      {
        label: 'failed',
        data: h.failed.map((f) => ({
          x: f.trial,
          y: failedY,
          info: [`trial ${f.trial} failed: ${f.error}`, ...paramLines(f.params)],
        })),
        pointStyle: 'crossRot',
        borderColor: p.failed,
        backgroundColor: p.failed,
        pointRadius: 7,
        borderWidth: 2,
      },
    ];
    syncDatasets(chart, datasets);
    chart.update('none');
  }

  return {
    root: c.root,
    render,
    applyTheme(next) {
      p = next;
      replaceOptions(chart as unknown as Chart, options() as Chart['options']);
      if (last) render(last);
    },
  };
}

/** Labels a log axis at 1, 2 and 5 times powers of ten only, so ticks do not overlap. */
function logTick(value: number | string): string {
  const v = Number(value);
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  if (![1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)) return '';
  return v < 1e-3 || v >= 1e4 ? v.toExponential(0) : formatNumber(v);
}

export function paramScatterPanel(
  palette: Palette,
  initialParam: string | undefined,
  onParamChange: (name: string) => void,
): PanelView {
  const c = card('Stage 1 · hyperparameter vs objective', 'params-card');
  const select = el('select', { 'data-testid': 'param-select', 'aria-label': 'hyperparameter' });
  c.toolbar.append(select);
  const { box, canvas } = chartBox('params-chart');
  c.body.append(box);
  let p = palette;
  let last: RunFold | undefined;
  let param = initialParam;
  let log = false;
  const options = () => ({
    scales: {
      x: axis(p, log ? `${param ?? ''} (log scale)` : (param ?? ''), {
        type: log ? ('logarithmic' as const) : ('linear' as const),
        ticks: { color: p.foreground, callback: log ? logTick : undefined },
      }),
      y: axis(p, 'objective'),
    },
    plugins: {
      legend: { display: false },
      tooltip: {
        ...tooltipOptions(p),
        callbacks: { label: (item: TooltipItem<'scatter'>) => (item.raw as TrialDatum).info },
      },
    },
  });
  const chart = new Chart<'scatter', TrialDatum[]>(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: options(),
  });
  select.addEventListener('change', () => {
    param = select.value;
    onParamChange(param);
    if (last) render(last);
  });

  function render(run: RunFold): void {
    last = run;
    const scatters = paramScatters(run);
    c.setEmpty(scatters.length === 0 ? 'No hyperparameters tried yet.' : undefined);
    setOptions(
      select,
      scatters.map((s) => ({ value: s.name, label: s.name })),
      param,
    );
    select.hidden = scatters.length === 0;
    const shown = scatters.find((s) => s.name === select.value) ?? scatters[0];
    param = shown?.name;
    if (shown && shown.log !== log) {
      log = shown.log;
      chart.options = options() as typeof chart.options;
    }
    const xScale = chart.options.scales?.x as { title?: { text?: string } } | undefined;
    if (xScale?.title) xScale.title.text = log ? `${param} (log scale)` : (param ?? '');
    syncDatasets(chart, [
      {
        label: 'trials',
        data: (shown?.points ?? []).map((pt) => ({
          x: pt.x,
          y: pt.y,
          info: [
            `trial ${pt.trial}: ${formatNumber(pt.y)}`,
            `${shown!.name} = ${formatNumber(pt.x)}`,
          ],
        })),
        borderColor: p.primary,
        backgroundColor: p.primary,
        pointRadius: 4,
      },
    ]);
    chart.update('none');
  }

  return {
    root: c.root,
    render,
    applyTheme(next) {
      p = next;
      replaceOptions(chart as unknown as Chart, options() as Chart['options']);
      if (last) render(last);
    },
  };
}
