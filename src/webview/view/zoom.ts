/**
 * Drag a rectangle to zoom a chart, double-click to reset. The zoom lives in the chart's
 * scale options (min/max), which live updates with `update('none')` leave alone, so it
 * survives new data. Hand-written rather than chartjs-plugin-zoom: that plugin pulls in
 * hammerjs, which touches `document` at load time.
 */
import type { Chart, ChartType } from 'chart.js';
import { scaleBounds } from './chart-setup';
import { el } from './dom';

export interface DragZoom {
  /** True right after a drag ended: the click that follows must not select a point. */
  consumeDrag(): boolean;
  reset(): void;
}

const MIN_DRAG_PX = 6;

export function enableDragZoom<T extends ChartType, D>(
  chart: Chart<T, D>,
  host: HTMLElement,
): DragZoom {
  const canvas = chart.canvas;
  const box = el('div', { class: 'zoom-box', hidden: '' });
  const resetButton = el('button', {
    class: 'zoom-reset',
    type: 'button',
    hidden: '',
    text: 'Reset zoom',
  });
  host.append(box, resetButton);
  let start: { x: number; y: number } | undefined;
  let dragged = false;

  const scaleOptions = (id: string) => scaleBounds(chart.options?.scales)[id];

  const reset = () => {
    for (const id of ['x', 'y']) {
      const s = scaleOptions(id);
      if (s) {
        delete s.min;
        delete s.max;
      }
    }
    resetButton.hidden = true;
    chart.update('none');
  };

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    start = { x: e.offsetX, y: e.offsetY };
    dragged = false;
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!start) return;
    const w = Math.abs(e.offsetX - start.x);
    const h = Math.abs(e.offsetY - start.y);
    if (w < MIN_DRAG_PX && h < MIN_DRAG_PX) return;
    box.hidden = false;
    box.style.left = `${canvas.offsetLeft + Math.min(start.x, e.offsetX)}px`;
    box.style.top = `${canvas.offsetTop + Math.min(start.y, e.offsetY)}px`;
    box.style.width = `${w}px`;
    box.style.height = `${h}px`;
  });
  const finish = (e: PointerEvent) => {
    if (!start) return;
    const from = start;
    start = undefined;
    box.hidden = true;
    if (Math.abs(e.offsetX - from.x) < MIN_DRAG_PX || Math.abs(e.offsetY - from.y) < MIN_DRAG_PX)
      return;
    dragged = true;
    for (const [id, a, b] of [
      ['x', from.x, e.offsetX],
      ['y', from.y, e.offsetY],
    ] as const) {
      const scale = chart.scales[id];
      const options = scaleOptions(id);
      if (!scale || !options) continue;
      const [lo, hi] = [scale.getValueForPixel(a)!, scale.getValueForPixel(b)!].sort(
        (p, q) => p - q,
      );
      options.min = lo;
      options.max = hi;
    }
    resetButton.hidden = false;
    chart.update('none');
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointerleave', () => {
    start = undefined;
    box.hidden = true;
  });
  canvas.addEventListener('dblclick', reset);
  resetButton.addEventListener('click', reset);

  return {
    consumeDrag: () => {
      const was = dragged;
      dragged = false;
      return was;
    },
    reset,
  };
}
