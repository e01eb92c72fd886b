/** Stage 2 card: training loss, validation loss and metrics by step, checkpoints marked. */
import type { ChartDataset, TooltipItem } from 'chart.js';
import { trainingCurves } from '../model/training';
import { chartCard } from './chart-card';
import { axis, legendOptions, tooltipOptions } from './chart-setup';
import { formatNumber } from './dom';
import type { PanelView } from './panel';
import type { Palette } from './theme';

type Datum = { x: number; y: number };

/**
 * A chart of curves over training steps: losses on the left axis, validation metrics on the
 * right. Thousands of steps: data is given pre-parsed and sorted so Chart.js can decimate it to
 * `samples` points (past twice that many; its default threshold is 4 × the width in pixels).
 */
export function stepCurveOptions(p: Palette, lossTitle: string, samples: number) {
  return {
    parsing: false as const,
    normalized: true,
    interaction: { mode: 'nearest' as const, intersect: false },
    scales: {
      x: axis(p, 'step', { type: 'linear' as const }),
      y: axis(p, lossTitle, { position: 'left' as const }),
      y1: axis(p, 'validation metric', {
        position: 'right' as const,
        grid: { drawOnChartArea: false },
      }),
    },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb' as const, samples, threshold: 2 * samples },
      legend: legendOptions(p),
      tooltip: {
        ...tooltipOptions(p),
        callbacks: {
          label: (item: TooltipItem<'line'>) =>
            `${item.dataset.label}: ${formatNumber((item.raw as Datum).y)} (step ${(item.raw as Datum).x})`,
        },
      },
    },
  };
}

export function trainingPanel(palette: Palette): PanelView {
  const view = chartCard<'line', Datum[]>({
    title: 'Stage 2 · fine-tuning curves',
    testId: 'training-card',
    chartTestId: 'training-chart',
    wide: true,
    zoom: true,
    type: 'line',
    palette,
    options: (p) => stepCurveOptions(p, 'loss', 400),
    draw: (run, p) => {
      const curves = trainingCurves(run);
      const line = (
        label: string,
        data: Datum[],
        color: string,
        yAxisID: string,
        dashed = false,
      ): ChartDataset<'line', Datum[]> => ({
        label,
        data,
        yAxisID,
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        borderDash: dashed ? [4, 3] : [],
        pointRadius: 0,
        pointHitRadius: 6,
      });
      const metricAxis = view.chart.options.scales?.y1;
      if (metricAxis) metricAxis.display = curves.metrics.length > 0;
      return {
        empty:
          curves.trainLoss.length + curves.validationLoss.length === 0
            ? 'Fine-tuning has not started.'
            : undefined,
        datasets: [
          line('train loss', curves.trainLoss, p.muted, 'y'),
          line('validation loss', curves.validationLoss, p.primary, 'y'),
          ...curves.metrics.map((m, i) =>
            line(`validation ${m.name}`, m.points, p.series[i % p.series.length]!, 'y1', true),
          ),
          {
            label: 'checkpoints',
            data: curves.checkpoints.map((k) => ({ x: k.step, y: k.loss })),
            yAxisID: 'y',
            showLine: false,
            pointStyle: 'rectRot' as const,
            pointRadius: 6,
            borderColor: p.front,
            backgroundColor: p.front,
          },
        ],
      };
    },
  });
  return view;
}
