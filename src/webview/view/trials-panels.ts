/** Stage 1 cards: trial history with best-so-far, and hyperparameter vs objective. */
import type { TooltipItem } from 'chart.js';
import { paramScatters, trialHistory } from '../model/trials';
import { chartCard } from './chart-card';
import { axis, legendOptions, tooltipOptions } from './chart-setup';
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
  return chartCard<'scatter', TrialDatum[]>({
    title: 'Stage 1 · trial history',
    testId: 'trials-card',
    chartTestId: 'trials-chart',
    type: 'scatter',
    palette,
    options: (p) => ({
      scales: {
        x: axis(p, 'trial', {
          type: 'linear' as const,
          ticks: { color: p.foreground, precision: 0 },
        }),
        y: axis(p, 'objective (best validation metric)'),
      },
      plugins: {
        legend: legendOptions(p),
        tooltip: trialTooltip(p),
      },
    }),
    draw: (run, p) => {
      const h = trialHistory(run);
      const objectives = h.done.map((d) => d.objective);
      const lo = objectives.length > 0 ? Math.min(...objectives) : 0;
      const hi = objectives.length > 0 ? Math.max(...objectives) : 1;
      // Failed trials have no objective: draw them just under the lowest one.
      const failedY = lo - Math.max((hi - lo) * 0.15, Math.abs(lo) * 0.02, 0.01);
      return {
        empty:
          h.done.length + h.failed.length + h.running.length === 0 ? 'No trials yet.' : undefined,
        datasets: [
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
        ],
      };
    },
  });
}

/** Tooltips that show a point's own lines (a trial's objective and hyperparameters). */
export function trialTooltip(p: Palette) {
  return {
    ...tooltipOptions(p),
    callbacks: {
      label: (item: TooltipItem<'scatter'>) => (item.raw as Pick<TrialDatum, 'info'>).info,
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
  const select = el('select', { 'data-testid': 'param-select', 'aria-label': 'hyperparameter' });
  let param = initialParam;
  let log = false;
  const view = chartCard<'scatter', TrialDatum[]>({
    title: 'Stage 1 · hyperparameter vs objective',
    testId: 'params-card',
    chartTestId: 'params-chart',
    type: 'scatter',
    palette,
    options: (p) => ({
      scales: {
        x: axis(p, log ? `${param ?? ''} (log scale)` : (param ?? ''), {
          type: log ? ('logarithmic' as const) : ('linear' as const),
          ticks: { color: p.foreground, callback: log ? logTick : undefined },
        }),
        y: axis(p, 'objective'),
      },
      plugins: {
        legend: { display: false },
        tooltip: trialTooltip(p),
      },
    }),
    draw: (run, p) => {
      const scatters = paramScatters(run);
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
        view.rebuildOptions();
      }
      const xScale = view.chart.options.scales?.x;
      if (xScale?.title) xScale.title.text = log ? `${param} (log scale)` : (param ?? '');
      return {
        empty: scatters.length === 0 ? 'No hyperparameters tried yet.' : undefined,
        datasets: [
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
        ],
      };
    },
  });
  view.card.toolbar.append(select);
  select.addEventListener('change', () => {
    param = select.value;
    onParamChange(param);
    view.redraw();
  });
  return view;
}
