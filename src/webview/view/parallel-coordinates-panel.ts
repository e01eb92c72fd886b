/**
 * Stage 1 card: parallel coordinates. Chart.js has no such chart, so it is a scatter chart
 * with lines: x is the axis index (its grid lines are the vertical axes, its ticks their
 * names), y the value's position on its axis, and a small plugin writes each axis's range
 * at its ends. A line's opacity grows with its objective; failed trials are dashed, in the
 * failure colour, and stop before the objective axis.
 */
import type { Chart, Plugin } from 'chart.js';
import {
  type ParallelAxis,
  type ParallelCoordinates,
  type ParallelLine,
  parallelCoordinates,
} from '../model/parallel-coordinates';
import { chartCard } from './chart-card';
import { el, formatNumber } from './dom';
import type { PanelView } from './panel';
import { type Palette, withAlpha } from './theme';
import { trialTooltip } from './trials-panels';

interface AxisPoint {
  x: number;
  y: number | null;
  /** Tooltip lines. */
  info: string[];
}

const axisTitle = (a: ParallelAxis) => (a.log ? `${a.name} (log)` : a.name);

function lineInfo(line: ParallelLine, axes: readonly ParallelAxis[]): string[] {
  const head = line.failed
    ? `trial ${line.trial} failed: ${line.error}`
    : `trial ${line.trial}: objective ${formatNumber(line.objective)}`;
  const params = axes
    .map((a, k) => (a.objective ? undefined : `${a.name} = ${formatNumber(line.values[k])}`))
    .filter((s): s is string => s !== undefined);
  return [head, ...params];
}

/** Opacity from the objective's place between the worst and the best finished trial. */
function strength(line: ParallelLine, objectiveAxis: ParallelAxis | undefined): number {
  if (!objectiveAxis || line.objective === undefined) return 1;
  const span = objectiveAxis.high - objectiveAxis.low;
  const t = span > 0 ? (line.objective - objectiveAxis.low) / span : 1;
  return 0.2 + 0.8 * t;
}

/** Writes each axis's top and bottom value beside its ends. */
function axisRangeLabels(
  current: () => ParallelCoordinates | undefined,
  palette: () => Palette,
): Plugin<'scatter'> {
  return {
    id: 'parallelAxisRanges',
    afterDraw(chart: Chart<'scatter'>) {
      const axes = current()?.axes ?? [];
      const x = chart.scales.x;
      if (!x || axes.length === 0) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.fillStyle = palette().muted;
      ctx.font = `${Math.max(10, palette().fontSize - 2)}px ${palette().fontFamily}`;
      axes.forEach((a, k) => {
        const px = x.getPixelForValue(k);
        ctx.textAlign = k === axes.length - 1 ? 'right' : 'left';
        const dx = k === axes.length - 1 ? -4 : 4;
        ctx.textBaseline = 'bottom';
        ctx.fillText(formatNumber(a.high), px + dx, chartArea.top - 2);
        ctx.textBaseline = 'top';
        ctx.fillText(formatNumber(a.low), px + dx, chartArea.bottom + 2);
      });
      ctx.restore();
    },
  };
}

export function parallelCoordinatesPanel(palette: Palette): PanelView {
  let shown: ParallelCoordinates | undefined;
  let current = palette;
  const view = chartCard<'scatter', AxisPoint[]>({
    title: 'Stage 1 · parallel coordinates',
    testId: 'parallel-card',
    chartTestId: 'parallel-chart',
    type: 'scatter',
    palette,
    wide: true,
    plugins: [
      axisRangeLabels(
        () => shown,
        () => current,
      ),
    ],
    options: (p) => {
      current = p;
      return {
        layout: { padding: { top: 16, bottom: 16, left: 8, right: 8 } },
        scales: {
          x: {
            type: 'linear' as const,
            grid: { color: p.muted, drawTicks: false },
            border: { display: false },
            ticks: {
              color: p.foreground,
              stepSize: 1,
              padding: 18,
              callback: (v: number | string) => {
                const a = shown?.axes[Number(v)];
                return a ? axisTitle(a) : '';
              },
            },
          },
          y: { min: 0, max: 1, display: false },
        },
        plugins: {
          legend: { display: false },
          tooltip: trialTooltip(p),
        },
      };
    },
    draw: (run, p) => {
      const pc = parallelCoordinates(run);
      // The tick callback and the range labels read `shown` when they draw.
      shown = pc;
      view.box.dataset.axes = pc.axes.map((a) => axisTitle(a)).join('|');
      view.box.dataset.lines = String(pc.lines.length);
      view.box.dataset.failed = String(pc.lines.filter((l) => l.failed).length);
      const objectiveAxis = pc.axes.find((a) => a.objective);
      return {
        empty: pc.lines.length === 0 ? 'No trials have ended yet.' : undefined,
        datasets: pc.lines.map((line) => {
          const info = lineInfo(line, pc.axes);
          const color = line.failed
            ? p.failed
            : withAlpha(p.primary, strength(line, objectiveAxis));
          return {
            label: `trial ${line.trial}`,
            data: line.positions.map((y, k) => ({ x: k, y, info })),
            showLine: true,
            spanGaps: false,
            borderColor: color,
            backgroundColor: color,
            borderDash: line.failed ? [6, 4] : [],
            borderWidth: line.failed ? 1.5 : 2,
            pointRadius: 2,
            pointHoverRadius: 5,
          };
        }),
      };
    },
  });
  view.card.body.append(
    el('p', {
      class: 'card-note',
      text: 'One line per trial; the stronger its colour, the better its objective. Dashed lines are failed trials (no objective).',
    }),
  );
  return view;
}
