/**
 * The one lifecycle every chart panel shares: a card with a chart in it, options built from
 * the theme's palette, datasets replaced in place on each render (so legend state survives
 * live updates), and on a theme change the options rebuilt (keeping the user's zoom) and the
 * last run drawn again in the new colours. A panel supplies only what differs: its options
 * and how a run becomes datasets.
 */
import { Chart, type ChartDataset, type ChartOptions, type ChartType, type Plugin } from 'chart.js';
import type { RunFold } from '../../contract/fold';
import { type Card, card, chartBox } from './card';
import { replaceOptions, syncDatasets } from './chart-setup';
import type { PanelView } from './panel';
import type { Palette } from './theme';
import { type DragZoom, enableDragZoom } from './zoom';

/** What a panel draws for a run: its datasets, or why there is nothing to draw yet. */
export interface ChartDrawing<T extends ChartType, D> {
  datasets: ChartDataset<T, D>[];
  /** Shown instead of the chart while set. */
  empty?: string;
}

export interface ChartCardSpec<T extends ChartType, D, M = RunFold> {
  title: string;
  /** data-testid of the card and of the chart's box. */
  testId: string;
  chartTestId: string;
  type: T;
  palette: Palette;
  /** Spans the grid's full width. */
  wide?: boolean;
  /** A taller chart box. */
  tall?: boolean;
  /** Drag-to-zoom with a reset button. */
  zoom?: boolean;
  /** Drawing of the chart's own (e.g. labels Chart.js has no scale for). */
  plugins?: Plugin<T>[];
  /** Options in the palette's colours; called again on every theme change. */
  options(palette: Palette): ChartOptions<T>;
  draw(run: M, palette: Palette): ChartDrawing<T, D>;
}

export interface ChartCard<T extends ChartType, D, M = RunFold> extends PanelView<M> {
  readonly card: Card;
  readonly chart: Chart<T, D>;
  /** The box around the canvas (e.g. for data attributes tests read). */
  readonly box: HTMLElement;
  readonly zoom?: DragZoom;
  /** Rebuilds the options from the current palette (e.g. an axis changed from linear to log). */
  rebuildOptions(): void;
  /** Draws the last run again (e.g. after a toolbar control changed). */
  redraw(): void;
}

export function chartCard<T extends ChartType, D, M = RunFold>(
  spec: ChartCardSpec<T, D, M>,
): ChartCard<T, D, M> {
  const c = card(spec.title, spec.testId, spec.wide);
  const { box, canvas } = chartBox(spec.chartTestId);
  if (spec.tall) box.classList.add('tall');
  c.body.append(box);
  let palette = spec.palette;
  let last: M | undefined;
  const chart = new Chart<T, D>(canvas, {
    type: spec.type,
    data: { datasets: [] },
    options: spec.options(palette),
    plugins: spec.plugins,
  });
  const zoom = spec.zoom ? enableDragZoom(chart, box) : undefined;

  const render = (run: M) => {
    last = run;
    const drawing = spec.draw(run, palette);
    c.setEmpty(drawing.empty);
    syncDatasets(chart, drawing.datasets);
    chart.update('none');
  };

  return {
    root: c.root,
    card: c,
    chart,
    box,
    zoom,
    render,
    rebuildOptions: () => replaceOptions(chart, spec.options(palette)),
    redraw: () => {
      if (last) render(last);
    },
    applyTheme(next) {
      palette = next;
      replaceOptions(chart, spec.options(palette));
      if (last) render(last);
    },
  };
}
