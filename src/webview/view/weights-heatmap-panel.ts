/**
 * Stage 3 card: fusion weights over evaluations, drawn on a plain canvas (a cell per
 * evaluation and checkpoint: Chart.js has no heatmap, and hundreds of cells are cheap to paint).
 * Front members are marked above their column, the chosen model framed.
 */
import type { RunFold } from '../../contract/fold';
import { type WeightsHeatmap, weightsHeatmap } from '../model/weights-heatmap';
import { card } from './card';
import { el, formatNumber } from './dom';
import type { PanelView } from './panel';
import { type Palette, withAlpha } from './theme';

const ROW_HEIGHT = 18;
const LABEL_WIDTH = 120;
const MARK_HEIGHT = 6;

export function weightsHeatmapPanel(palette: Palette): PanelView {
  const c = card('Stage 3 · fusion weights per evaluation', 'weights-heatmap-card', true);
  const canvas = el('canvas', { 'data-testid': 'weights-heatmap' });
  c.body.append(canvas);
  let colors = palette;
  let map: WeightsHeatmap | undefined;

  const paint = () => {
    const ctx = canvas.getContext('2d');
    if (!ctx || !map) return;
    const width = Math.max(LABEL_WIDTH + 100, c.body.clientWidth || 600);
    const height = MARK_HEIGHT + 2 + map.rows.length * ROW_HEIGHT;
    canvas.width = width;
    canvas.height = height;
    canvas.dataset.columns = String(map.columns.length);
    ctx.clearRect(0, 0, width, height);
    ctx.font = `${colors.fontSize - 2}px ${colors.fontFamily}`;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = colors.foreground;
    const top = MARK_HEIGHT + 2;
    map.rows.forEach((label, r) => {
      ctx.fillText(label, 2, top + r * ROW_HEIGHT + ROW_HEIGHT / 2);
    });
    const cell = (width - LABEL_WIDTH) / Math.max(1, map.columns.length);
    map.columns.forEach((col, i) => {
      const x = LABEL_WIDTH + i * cell;
      col.weights.forEach((w, r) => {
        ctx.fillStyle = withAlpha(colors.primary, Math.min(1, Math.max(0, w)));
        ctx.fillRect(x, top + r * ROW_HEIGHT, Math.max(1, cell - 1), ROW_HEIGHT - 1);
      });
      if (col.onFront) {
        ctx.fillStyle = colors.front;
        ctx.fillRect(x, 0, Math.max(1, cell - 1), MARK_HEIGHT);
      }
      if (col.chosen) {
        ctx.strokeStyle = colors.chosen;
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1, top + 1, Math.max(1, cell - 3), map!.rows.length * ROW_HEIGHT - 2);
      }
    });
  };

  canvas.addEventListener('mousemove', (event) => {
    if (!map || map.columns.length === 0) return;
    const box = canvas.getBoundingClientRect();
    const cell = (box.width - LABEL_WIDTH) / map.columns.length;
    const col = map.columns[Math.floor((event.clientX - box.left - LABEL_WIDTH) / cell)];
    canvas.title = col
      ? `evaluation ${col.index} (${col.source}${col.onFront ? ', on the front' : ''}${col.chosen ? ', chosen' : ''}): ${col.weights.map(formatNumber).join(' · ')}`
      : '';
  });

  return {
    root: c.root,
    render(run: RunFold) {
      map = weightsHeatmap(run);
      c.setEmpty(map.columns.length === 0 ? 'Fusion has not started.' : undefined);
      paint();
    },
    applyTheme(next) {
      colors = next;
      paint();
    },
  };
}
