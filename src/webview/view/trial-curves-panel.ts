/** Stage 1 card: each trial's training loss and primary validation metric by step. */
import type { ChartDataset } from 'chart.js';
import { trialCurves } from '../model/training';
import { chartCard } from './chart-card';
import type { PanelView } from './panel';
import type { Palette } from './theme';
import { stepCurveOptions } from './training-panel';

type Datum = { x: number; y: number };

export function trialCurvesPanel(palette: Palette): PanelView {
  return chartCard<'line', Datum[]>({
    title: 'Stage 1 · trial curves',
    testId: 'trial-curves-card',
    chartTestId: 'trial-curves-chart',
    zoom: true,
    type: 'line',
    palette,
    options: (p) => stepCurveOptions(p, 'training loss', 200),
    draw: (run, p) => {
      const curves = trialCurves(run);
      const metric = run.metricName ?? 'metric';
      // One colour per trial: its loss as a line, its validations as dashed points.
      const datasets = curves.flatMap((c, i): ChartDataset<'line', Datum[]>[] => {
        const color = p.series[i % p.series.length]!;
        const style = { borderColor: color, backgroundColor: color, pointHitRadius: 6 };
        return [
          {
            label: `trial ${c.trial} loss`,
            data: c.loss,
            yAxisID: 'y',
            borderWidth: 1.5,
            pointRadius: 0,
            ...style,
          },
          {
            label: `trial ${c.trial} ${metric}`,
            data: c.metric,
            yAxisID: 'y1',
            borderWidth: 1,
            borderDash: [4, 3],
            pointRadius: 3,
            ...style,
          },
        ];
      });
      return {
        empty: curves.length === 0 ? 'No trial has reported a step yet.' : undefined,
        datasets,
      };
    },
  });
}
