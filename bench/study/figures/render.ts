/**
 * Renders FigureSpecs to PNG with our own code: Chart.js (the extension's
 * dependency) in headless Debian Chromium driven by playwright-core. The page
 * registers one small plugin, `heatmap`, that paints a grid of values under the
 * datasets with a colour bar (Chart.js has no heat-map chart type).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { FigureSpec } from './charts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Page-side code (runs in Chromium): the heat-map plugin and chart creation. */
const PAGE_SCRIPT = `
function viridis(t) {
  const stops = [[68,1,84],[59,82,139],[33,145,140],[94,201,98],[253,231,37]];
  t = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(t)), f = t - i;
  const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  return 'rgb(' + c.join(',') + ')';
}
const heatmapPlugin = {
  id: 'heatmap',
  beforeDatasetsDraw(chart, _args, o) {
    if (!o || !o.values) return;
    const { ctx, chartArea, scales } = chart;
    const tr = (v) => (o.log ? Math.log10(Math.max(v, 1e-12)) : v);
    const flat = o.values.flat().filter(Number.isFinite).map(tr);
    const lo = Math.min(...flat), hi = Math.max(...flat), span = hi - lo || 1;
    const good = (v) => (o.lowerIsBetter ? (hi - tr(v)) / span : (tr(v) - lo) / span);
    const half = (o.axis[1] - o.axis[0]) / 2;
    ctx.save();
    o.axis.forEach((a, i) => o.axis.forEach((b, j) => {
      const v = o.values[i][j];
      const x0 = scales.x.getPixelForValue(a - half), x1 = scales.x.getPixelForValue(a + half);
      const y0 = scales.y.getPixelForValue(b + half), y1 = scales.y.getPixelForValue(b - half);
      ctx.fillStyle = Number.isFinite(v) ? viridis(good(v)) : '#999';
      ctx.fillRect(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5);
    }));
    const bx = chartArea.right + 14, top = chartArea.top, h = chartArea.bottom - chartArea.top;
    for (let k = 0; k < h; k++) {
      ctx.fillStyle = viridis(1 - k / h);
      ctx.fillRect(bx, top + k, 14, 1);
    }
    const fmt = (v) => { const x = o.log ? Math.pow(10, v) : v; return Math.abs(x) >= 100 ? x.toExponential(1) : x.toPrecision(3); };
    ctx.fillStyle = '#222';
    ctx.font = '11px sans-serif';
    ctx.fillText(fmt(o.lowerIsBetter ? lo : hi), bx + 17, top + 9);
    ctx.fillText(fmt(o.lowerIsBetter ? hi : lo), bx + 17, top + h);
    ctx.fillText('better', bx - 2, top - 4);
    ctx.restore();
  },
};
Chart.register(heatmapPlugin);
window.drawFigure = (spec) => {
  const grid = document.getElementById('grid');
  grid.style.gridTemplateColumns = 'repeat(' + spec.columns + ', ' + spec.width + 'px)';
  for (const config of spec.charts) {
    const canvas = document.createElement('canvas');
    canvas.width = spec.width;
    canvas.height = spec.height;
    canvas.style.width = spec.width + 'px';
    canvas.style.height = spec.height + 'px';
    grid.appendChild(canvas);
    config.options = Object.assign({ responsive: false, devicePixelRatio: 2 }, config.options);
    new Chart(canvas, config);
  }
};
`;

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font-family: sans-serif; }
#grid { display: inline-grid; gap: 12px; padding: 12px; background: #fff; }
</style></head><body><div id="grid"></div></body></html>`;

/** Writes each figure as a PNG (2× device pixels). */
export async function renderFigures(figures: readonly FigureSpec[]): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    // The UMD bundle sits next to the package's CommonJS entry (not in its exports map).
    const chartJs = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
    for (const figure of figures) {
      const page = await browser.newPage({
        deviceScaleFactor: 2,
        viewport: { width: 1400, height: 900 },
      });
      await page.setContent(PAGE_HTML);
      await page.addScriptTag({ path: chartJs });
      await page.addScriptTag({ content: PAGE_SCRIPT });
      // Passed as JSON text: the chart configurations are plain data.
      const spec = JSON.stringify({
        columns: figure.columns,
        width: figure.width,
        height: figure.height,
        charts: figure.charts,
      });
      await page.evaluate(
        (json) =>
          (globalThis as unknown as { drawFigure(s: unknown): void }).drawFigure(JSON.parse(json)),
        spec,
      );
      fs.mkdirSync(path.dirname(figure.file), { recursive: true });
      await page.locator('#grid').screenshot({ path: figure.file });
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
