/** Stage 3 cards: hypervolume by evaluation, and the chosen model's weight per checkpoint. */
import { Chart, type TooltipItem } from 'chart.js';
import type { RunFold } from '../../contract/fold';
import { chosenWeights, hypervolumeSeries } from '../model/fusion';
import { card, chartBox } from './card';
import { axis, legendOptions, replaceOptions, syncDatasets, tooltipOptions } from './chart-setup';
import { formatNumber } from './dom';
import type { PanelView } from './panel';
import type { Palette } from './theme';

export function hypervolumePanel(palette: Palette): PanelView {
  const c = card('Stage 3 · hypervolume', 'hypervolume-card');
  const { box, canvas } = chartBox('hypervolume-chart');
  c.body.append(box);
  let p = palette;
  let last: RunFold | undefined;
  const options = () => ({
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
  });
  const chart = new Chart(canvas, { type: 'scatter', data: { datasets: [] }, options: options() });

  function render(run: RunFold): void {
    last = run;
    const data = hypervolumeSeries(run);
    c.setEmpty(data.length === 0 ? 'No Pareto front yet.' : undefined);
    syncDatasets(chart, [
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

export function weightsPanel(palette: Palette): PanelView {
  const c = card('Chosen model · fusion weights', 'weights-card');
  const { box, canvas } = chartBox('weights-chart');
  c.body.append(box);
  let p = palette;
  let last: RunFold | undefined;
  const options = () => ({
    scales: {
      x: axis(p, 'checkpoint'),
      y: axis(p, 'weight', { min: 0, suggestedMax: 1 }),
    },
    plugins: {
      legend: legendOptions(p),
      tooltip: {
        ...tooltipOptions(p),
        callbacks: {
          label: (item: TooltipItem<'bar'>) => `weight ${formatNumber(item.parsed.y ?? undefined)}`,
        },
      },
    },
  });
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: options(),
  });

  function render(run: RunFold): void {
    last = run;
    const w = chosenWeights(run);
    c.setEmpty(w.chosen.length === 0 ? 'No fused model chosen yet.' : undefined);
    // Two-line tick labels ('ckpt 3', 'step 180') stay horizontal.
    chart.data.labels = w.labels.map((label) => label.split(' · ')) as unknown as string[];
    syncDatasets(chart, [
      {
        label: 'chosen (BOMF)',
        data: w.chosen,
        backgroundColor: p.chosen,
        borderColor: p.chosen,
        borderWidth: 1,
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
