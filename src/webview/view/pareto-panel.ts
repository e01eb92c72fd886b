/**
 * Stage 3 card: every fusion evaluation in validation loss–metric space, the Pareto front
 * highlighted and connected, the chosen model emphasized, baselines for comparison. Hover
 * shows a point's values and weights; a click shows its details and "Export this fused model".
 */
import type { ChartDataset, PointStyle, TooltipItem } from 'chart.js';
import type { BaselineName } from '../../contract/fusion-events';
import {
  type Dimension,
  defaultAxes,
  type ParetoPoint,
  type ParetoSeries,
  paretoDimensions,
  paretoSeries,
} from '../model/pareto';
import { methodLabel } from '../model/results';
import { chartCard } from './chart-card';
import { axis, legendOptions, tooltipOptions } from './chart-setup';
import { el, formatWeights, setOptions } from './dom';
import type { PanelView } from './panel';
import { evaluationLines, renderParetoDetails } from './pareto-details';
import { type Palette, withAlpha } from './theme';

interface Datum {
  x: number;
  y: number;
  /** Fusion-eval index; absent for baselines. */
  index?: number;
  info: string[];
}

export interface ParetoPanelOptions {
  palette: Palette;
  selected?: number;
  axes?: [string, string];
  onSelect(index: number | undefined): void;
  onAxesChange(axes: [string, string]): void;
  onExport(weights: number[], evalIndex: number): void;
}

/** Label of the dataset that only draws a ring around the selected point. */
const SELECTION_RING = 'selected';

const BASELINE_STYLES: Partial<Record<BaselineName, PointStyle>> = {
  'best-single': 'triangle',
  last: 'rect',
  swa: 'rectRot',
  'greedy-soup': 'star',
  'sobo-metric': 'crossRot',
  'sobo-loss': 'cross',
};

function pointInfo(pt: ParetoPoint, chosen: boolean): string[] {
  const tags = [pt.source, pt.onFront ? 'on front' : '', chosen ? 'chosen' : ''].filter(Boolean);
  return [
    `evaluation #${pt.index} (${tags.join(', ')})`,
    ...evaluationLines(pt.validation),
    `weights ${formatWeights(pt.weights)}`,
  ];
}

function axisTitle(dim: Dimension | undefined): string {
  return dim ? `${dim.label} (${dim.maximize ? 'higher' : 'lower'} is better)` : '';
}

export function paretoPanel(o: ParetoPanelOptions): PanelView {
  const xSelect = el('select', { 'data-testid': 'pareto-x-axis', 'aria-label': 'x axis' });
  const ySelect = el('select', { 'data-testid': 'pareto-y-axis', 'aria-label': 'y axis' });
  const axesPicker = el(
    'span',
    { class: 'axes-picker', hidden: '' },
    'x ',
    xSelect,
    ' y ',
    ySelect,
  );
  const details = el('aside', { class: 'details', 'data-testid': 'pareto-details' });

  let series: ParetoSeries | undefined;
  let selected = o.selected;
  let axesKeys = o.axes;

  const view = chartCard<'scatter', Datum[]>({
    title: 'Stage 3 · Pareto front of fused models',
    testId: 'pareto-card',
    chartTestId: 'pareto-chart',
    wide: true,
    tall: true,
    zoom: true,
    type: 'scatter',
    palette: o.palette,
    options: (p) => ({
      scales: {
        x: axis(p, axisTitle(series?.xDim)),
        y: axis(p, axisTitle(series?.yDim)),
      },
      plugins: {
        legend: {
          ...legendOptions(p),
          labels: {
            ...legendOptions(p).labels,
            filter: (item: { text: string }) => item.text !== '' && item.text !== SELECTION_RING,
          },
        },
        tooltip: {
          ...tooltipOptions(p),
          // The ring drawn around the selected point would repeat that point's tooltip.
          filter: (item: TooltipItem<'scatter'>) => item.dataset.label !== SELECTION_RING,
          callbacks: { label: (item: TooltipItem<'scatter'>) => (item.raw as Datum).info },
        },
      },
      onClick: (_: unknown, elements: { datasetIndex: number; index: number }[]) => {
        if (view.zoom?.consumeDrag()) return;
        const hit = elements
          .map((e) => view.chart.data.datasets[e.datasetIndex]?.data[e.index])
          .find((d) => d?.index !== undefined);
        if (hit) select(hit.index);
      },
    }),
    draw: (run, p) => {
      const dims = paretoDimensions(run);
      const [xDim, yDim] = pickAxes(dims);
      axesPicker.hidden = dims.length < 3;
      const dimOptions = dims.map((d) => ({ value: d.key, label: d.label }));
      setOptions(xSelect, dimOptions, xDim.key);
      setOptions(ySelect, dimOptions, yDim.key);
      const s = paretoSeries(run, xDim, yDim);
      const titlesChanged = s.xDim.key !== series?.xDim.key || s.yDim.key !== series?.yDim.key;
      series = s;
      if (titlesChanged) view.rebuildOptions();
      view.box.dataset.points = String(s.points.length);
      view.box.dataset.front = String(s.points.filter((pt) => pt.onFront).length);
      renderParetoDetails(details, s, selected, o.onExport);
      return {
        empty:
          s.points.length === 0 && s.baselines.length === 0
            ? 'No fusion evaluations yet.'
            : undefined,
        datasets: datasets(s, p),
      };
    },
  });
  view.card.toolbar.append(axesPicker);
  // The details pane sits beside the chart.
  view.card.body.append(el('div', { class: 'pareto-layout' }, view.box, details));

  function select(index: number | undefined): void {
    selected = index;
    o.onSelect(index);
    view.redraw();
  }
  const axesChanged = () => {
    axesKeys = [xSelect.value, ySelect.value];
    o.onAxesChange(axesKeys);
    view.zoom?.reset();
    view.redraw();
  };
  xSelect.addEventListener('change', axesChanged);
  ySelect.addEventListener('change', axesChanged);

  function pickAxes(dims: Dimension[]): [Dimension, Dimension] {
    const [dx, dy] = defaultAxes(dims);
    const find = (key: string | undefined, fallback: Dimension) =>
      dims.find((d) => d.key === key) ?? fallback;
    return [find(axesKeys?.[0], dx), find(axesKeys?.[1], dy)];
  }

  function datasets(s: ParetoSeries, p: Palette): ChartDataset<'scatter', Datum[]>[] {
    const chosenIndex = s.chosen?.index;
    const datum = (pt: ParetoPoint): Datum => ({
      x: pt.x,
      y: pt.y,
      index: pt.index,
      info: pointInfo(pt, pt.index === chosenIndex),
    });
    const picked = s.points.find((pt) => pt.index === selected);
    const result: ChartDataset<'scatter', Datum[]>[] = [
      {
        label: 'fusion evaluations',
        data: s.points.filter((pt) => !pt.onFront).map(datum),
        borderColor: p.primary,
        backgroundColor: withAlpha(p.primary, 0.45),
        pointRadius: 4,
        pointHoverRadius: 6,
      },
      {
        label: 'Pareto front',
        data: s.frontLine.map(datum),
        showLine: true,
        borderColor: p.front,
        backgroundColor: p.front,
        borderWidth: 2,
        pointRadius: 0,
        pointHitRadius: 0,
      },
      {
        label: '',
        data: s.points.filter((pt) => pt.onFront).map(datum),
        borderColor: p.front,
        backgroundColor: p.front,
        pointRadius: 5,
        pointHoverRadius: 7,
      },
      {
        label: 'chosen (BOMF)',
        data: s.chosen ? [datum(s.chosen)] : [],
        pointStyle: 'circle',
        borderColor: p.chosen,
        backgroundColor: p.chosen,
        pointRadius: 8,
        pointHoverRadius: 10,
      },
      ...s.baselines.map(
        (b, i): ChartDataset<'scatter', Datum[]> => ({
          label: methodLabel(b.name),
          data: [
            {
              x: b.x,
              y: b.y,
              info: [
                methodLabel(b.name),
                ...evaluationLines(b.validation),
                `weights ${formatWeights(b.weights)}`,
              ],
            },
          ],
          pointStyle: BASELINE_STYLES[b.name] ?? 'triangle',
          borderColor: p.baselines[i % p.baselines.length],
          backgroundColor: p.baselines[i % p.baselines.length],
          borderWidth: 2,
          pointRadius: 7,
          pointHoverRadius: 9,
        }),
      ),
      {
        label: SELECTION_RING,
        data: picked ? [datum(picked)] : [],
        borderColor: p.focus,
        backgroundColor: 'transparent',
        borderWidth: 3,
        pointRadius: 12,
        pointHoverRadius: 12,
      },
    ];
    return result;
  }

  return view;
}
