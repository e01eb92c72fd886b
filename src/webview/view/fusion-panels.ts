/** Stage 3 cards: hypervolume by evaluation, and the chosen model's weight per checkpoint. */
import type { TooltipItem } from 'chart.js';
import { chosenWeights, hypervolumeSeries } from '../model/fusion';
import { chartCard } from './chart-card';
import { axis, legendOptions, tooltipOptions } from './chart-setup';
import { formatNumber } from './dom';
import type { PanelView } from './panel';
import type { Palette } from './theme';

export function hypervolumePanel(palette: Palette): PanelView {
  return chartCard<'scatter', { x: number; y: number }[]>({
    title: 'Stage 3 · hypervolume',
    testId: 'hypervolume-card',
    chartTestId: 'hypervolume-chart',
    type: 'scatter',
    palette,
    options: (p) => ({
      scales: {
        x: axis(p, 'evaluations', {
          type: 'linear' as const,
          ticks: { color: p.foreground, precision: 0 },
        }),
        y: axis(p, 'dominated hypervolume'),
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          ...tooltipOptions(p),
          callbacks: {
            label: (item: TooltipItem<'scatter'>) =>
              `after ${item.parsed.x} evaluations: ${formatNumber(item.parsed.y ?? undefined)}`,
          },
        },
      },
    }),
    draw: (run, p) => {
      const data = hypervolumeSeries(run);
      return {
        empty: data.length === 0 ? 'No Pareto front yet.' : undefined,
        datasets: [
          {
            label: 'hypervolume',
            data,
            showLine: true,
            stepped: 'before',
            borderColor: p.front,
            backgroundColor: p.front,
            borderWidth: 2,
            pointRadius: 3,
          },
        ],
      };
    },
  });
}

export function weightsPanel(palette: Palette): PanelView {
  // Two-line tick labels ('ckpt 3', 'step 180') stay horizontal: a label is a list of lines.
  const view = chartCard<'bar', number[]>({
    title: 'Chosen model · fusion weights',
    testId: 'weights-card',
    chartTestId: 'weights-chart',
    type: 'bar',
    palette,
    options: (p) => ({
      scales: {
        x: axis(p, 'checkpoint'),
        y: axis(p, 'weight', { min: 0, suggestedMax: 1 }),
      },
      plugins: {
        legend: legendOptions(p),
        tooltip: {
          ...tooltipOptions(p),
          callbacks: {
            label: (item: TooltipItem<'bar'>) =>
              `weight ${formatNumber(item.parsed.y ?? undefined)}`,
          },
        },
      },
    }),
    draw: (run, p) => {
      const w = chosenWeights(run);
      view.chart.data.labels = w.labels.map((label) => label.split(' · '));
      return {
        empty: w.chosen.length === 0 ? 'No fused model chosen yet.' : undefined,
        datasets: [
          {
            label: 'chosen (BOMF)',
            data: w.chosen,
            backgroundColor: p.chosen,
            borderColor: p.chosen,
            borderWidth: 1,
          },
        ],
      };
    },
  });
  return view;
}
