/**
 * The study's figures as data: pure functions from the results to Chart.js
 * configurations (plain JSON, no callbacks, so they can be handed to the
 * headless page that renders them). The landscape heat maps use the page's
 * `heatmap` plugin (render.ts), configured under options.plugins.heatmap.
 */
import type { ChartConfiguration } from 'chart.js';
import type { LandscapeResult } from '../landscape';
import type { StudyResults } from '../results';
import { meanCurve } from '../stats';
import type { TransferResult } from '../transfer';

/** One PNG: a grid of charts, `columns` per row, each `width` × `height` CSS pixels. */
export interface FigureSpec {
  file: string;
  columns: number;
  width: number;
  height: number;
  charts: ChartConfiguration[];
}

/** Options of the page's heat-map plugin. */
export interface HeatmapOptions {
  axis: number[];
  /** [i][j] at (x = axis[i], y = axis[j]). */
  values: number[][];
  /** Bright = better: true when low values are better (losses). */
  lowerIsBetter: boolean;
  /** Map values through log10 before colouring (losses far from the checkpoints explode). */
  log: boolean;
  label: string;
}

const METHOD_COLORS: Record<string, string> = {
  bomf: '#d62728',
  'sobo-metric': '#1f77b4',
  'sobo-loss': '#2ca02c',
};

const title = (text: string) => ({ display: true, text, font: { size: 14 } });

/** Mean hypervolume after each evaluation, per task: BOMF vs the single-objective searches. */
export function hypervolumeFigure(results: StudyResults, file: string): FigureSpec {
  const doneCells = (task: string) =>
    results.cells.filter((c) => c.task === task && c.status === 'done');
  const tasks = results.tasks.filter((t) => doneCells(t.name).length > 0);
  const charts: ChartConfiguration[] = tasks.map((task) => {
    const cells = doneCells(task.name);
    const datasets = (['bomf', 'sobo-metric', 'sobo-loss'] as const)
      .map((method) => {
        const curve = meanCurve(
          cells.flatMap((c) => (c.hypervolume[method] ? [c.hypervolume[method]!] : [])),
        );
        return {
          label: method === 'bomf' ? 'BOMF (multi-objective)' : method,
          data: curve.map((y, i) => ({ x: i, y })),
          borderColor: METHOD_COLORS[method],
          backgroundColor: METHOD_COLORS[method],
          pointRadius: 0,
          borderWidth: 2,
          showLine: true,
        };
      })
      .filter((d) => d.data.length > 0);
    return {
      type: 'scatter',
      data: { datasets },
      options: {
        animation: false,
        plugins: {
          title: title(
            `${task.name} (${task.objectives.join(' + ')}; mean of ${cells.length} seed${cells.length === 1 ? '' : 's'})`,
          ),
          legend: { position: 'bottom' },
        },
        scales: {
          x: {
            title: { display: true, text: 'fused models evaluated (0 = the checkpoints alone)' },
          },
          y: { title: { display: true, text: 'hypervolume (normalized objectives)' } },
        },
      },
    } as ChartConfiguration;
  });
  return { file, columns: Math.min(3, charts.length), width: 420, height: 300, charts };
}

function heatmapChart(l: LandscapeResult, which: 'loss' | 'metric'): ChartConfiguration {
  const step = l.axis[1]! - l.axis[0]!;
  const lo = l.axis[0]! - step / 2;
  const hi = l.axis[l.axis.length - 1]! + step / 2;
  const best = which === 'loss' ? l.argminLoss : l.argmaxMetric;
  const heatmap: HeatmapOptions = {
    axis: l.axis,
    values: which === 'loss' ? l.loss : l.metricValues,
    lowerIsBetter: which === 'loss',
    log: which === 'loss',
    label: which === 'loss' ? 'validation loss (log colour scale)' : `validation ${l.metric}`,
  };
  const names = ['θ0', 'θ1', 'θ2'];
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'fusion simplex (triangle θ0 θ1 θ2)',
          data: [
            { x: 0, y: 0 },
            { x: 1, y: 0 },
            { x: 0, y: 1 },
            { x: 0, y: 0 },
          ],
          showLine: true,
          borderColor: '#ffffff',
          backgroundColor: '#ffffff',
          borderWidth: 1.5,
          pointRadius: 0,
        },
        {
          label: `checkpoints ${l.checkpoints.map((c, i) => `${names[i]}=#${c.index} (step ${c.step})`).join(', ')}`,
          data: [
            { x: 0, y: 0 },
            { x: 1, y: 0 },
            { x: 0, y: 1 },
          ],
          borderColor: '#000000',
          backgroundColor: '#ffffff',
          pointRadius: 5,
        },
        {
          label: which === 'loss' ? 'lowest loss on the grid' : `highest ${l.metric} on the grid`,
          data: [{ x: best.a, y: best.b }],
          pointStyle: 'star',
          borderColor: '#ff00ff',
          backgroundColor: '#ff00ff',
          pointRadius: 10,
          borderWidth: 2,
        },
      ],
    },
    options: {
      animation: false,
      layout: { padding: { right: 70 } },
      plugins: {
        title: title(`${l.task}, seed ${l.seed}: ${heatmap.label}`),
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        heatmap,
      },
      scales: {
        x: {
          min: lo,
          max: hi,
          title: { display: true, text: 'a  (θ = θ0 + a(θ1−θ0) + b(θ2−θ0))' },
        },
        y: { min: lo, max: hi, title: { display: true, text: 'b' } },
      },
    },
  } as unknown as ChartConfiguration;
}

/** Validation loss and metric over the plane through three checkpoints, side by side. */
export function landscapeFigure(l: LandscapeResult, file: string): FigureSpec {
  return {
    file,
    columns: 2,
    width: 560,
    height: 560,
    charts: [heatmapChart(l, 'loss'), heatmapChart(l, 'metric')],
  };
}

/** Proxy objective vs full-model objective, one point per stage-1 trial. */
export function transferFigure(t: TransferResult, file: string): FigureSpec {
  const proxy =
    t.proxy.lora !== undefined
      ? `LoRA rank ${t.proxy.lora}`
      : `${t.proxy.freeze ?? 0} frozen layer(s) + embeddings`;
  return {
    file,
    columns: 1,
    width: 560,
    height: 440,
    charts: [
      {
        type: 'scatter',
        data: {
          datasets: [
            {
              label: 'stage-1 trial (learning rate, batch size, …)',
              data: t.trials.map((x) => ({ x: x.proxy, y: x.full })),
              borderColor: '#1f77b4',
              backgroundColor: '#1f77b4',
              pointRadius: 6,
            },
          ],
        },
        options: {
          animation: false,
          plugins: {
            title: title(
              `${t.task}, seed ${t.seed}: best validation ${t.metric}, proxy vs full (Spearman ρ = ${Number.isFinite(t.spearman) ? t.spearman.toFixed(2) : 'n/a'}, ${t.trials.length} trials)`,
            ),
            legend: { position: 'bottom' },
          },
          scales: {
            x: { title: { display: true, text: `proxy (${proxy})` } },
            y: { title: { display: true, text: 'full model (nothing frozen)' } },
          },
        },
      } as ChartConfiguration,
    ],
  };
}
