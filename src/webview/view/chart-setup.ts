/** Chart.js with only the pieces the dashboard draws, and the theme-dependent options. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  type ChartOptions,
  type ChartType,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import type { Palette } from './theme';

let registered = false;

export function registerCharts(): void {
  if (registered) return;
  Chart.register(
    BarController,
    BarElement,
    CategoryScale,
    Decimation,
    Legend,
    LinearScale,
    LineController,
    LineElement,
    LogarithmicScale,
    PointElement,
    ScatterController,
    Tooltip,
  );
  registered = true;
}

/** Global defaults from the palette: text colour, grid colour and font. */
export function applyChartDefaults(p: Palette): void {
  Chart.defaults.color = p.foreground;
  Chart.defaults.borderColor = p.grid;
  Chart.defaults.font.family = p.fontFamily;
  Chart.defaults.font.size = Math.max(11, p.fontSize - 1);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

/** Options of one axis in theme colours, with an optional title. */
export function axis(p: Palette, title: string, extra: Record<string, unknown> = {}) {
  return {
    title: { display: title !== '', text: title, color: p.foreground },
    ticks: { color: p.foreground },
    grid: { color: p.grid },
    border: { color: p.grid },
    ...extra,
  };
}

export function legendOptions(p: Palette) {
  return { labels: { color: p.foreground, usePointStyle: true, boxWidth: 8, boxHeight: 8 } };
}

export function tooltipOptions(p: Palette) {
  return {
    backgroundColor: p.background,
    titleColor: p.foreground,
    bodyColor: p.foreground,
    borderColor: p.highContrast ? p.foreground : p.grid,
    borderWidth: 1,
  };
}

/**
 * Replaces the datasets' contents in place, by position: Chart.js keeps its per-dataset
 * state (legend visibility) on the same objects, so it survives live updates.
 */
export function syncDatasets<T extends ChartType, D>(
  chart: Chart<T, D>,
  next: ChartDataset<T, D>[],
): void {
  const current = chart.data.datasets;
  next.forEach((dataset, i) => {
    if (current[i] && current[i]!.label === dataset.label) Object.assign(current[i]!, dataset);
    else current[i] = dataset;
  });
  current.length = next.length;
}

/** Swaps in options built for a new theme, keeping the user's zoom (scale min/max). */
export function replaceOptions<T extends ChartType, D>(
  chart: Chart<T, D>,
  options: ChartOptions<T>,
): void {
  const oldScales = scaleBounds(chart.options?.scales);
  for (const [id, s] of Object.entries(scaleBounds(options?.scales))) {
    const old = oldScales[id];
    if (old?.min !== undefined) s.min = old.min;
    if (old?.max !== undefined) s.max = old.max;
  }
  chart.options = options;
  chart.update('none');
}

/** Scale options by axis id, seen only for their bounds (what zoom changes). */
export function scaleBounds(scales: unknown): Record<string, { min?: number; max?: number }> {
  return (scales ?? {}) as Record<string, { min?: number; max?: number }>;
}
