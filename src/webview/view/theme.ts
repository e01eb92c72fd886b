/**
 * Chart colours from VS Code's theme. A canvas cannot use CSS variables, so the values are
 * read with getComputedStyle and re-read when VS Code switches theme (it changes the body's
 * vscode-light / vscode-dark / vscode-high-contrast class).
 */

export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  fontFamily: string;
  fontSize: number;
  /** Ordinary points and the first series. */
  primary: string;
  /** The Pareto front. */
  front: string;
  /** The chosen fused model. */
  chosen: string;
  /** Selected point ring. */
  focus: string;
  failed: string;
  /** Further series (validation metrics), in order. */
  series: string[];
  /** Baselines on the Pareto plot: none of them the evaluations', front's or chosen colour. */
  baselines: string[];
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const dark = !document.body.classList.contains('vscode-light');
  const highContrast = document.body.classList.contains('vscode-high-contrast');
  const fg = cssVar(style, '--vscode-foreground', dark ? '#cccccc' : '#333333');
  const blue = cssVar(style, '--vscode-charts-blue', '#3794ff');
  const orange = cssVar(style, '--vscode-charts-orange', '#d18616');
  const green = cssVar(style, '--vscode-charts-green', '#89d185');
  const purple = cssVar(style, '--vscode-charts-purple', '#b180d7');
  const yellow = cssVar(style, '--vscode-charts-yellow', '#cca700');
  const red = cssVar(style, '--vscode-charts-red', '#f14c4c');
  return {
    foreground: cssVar(style, '--vscode-charts-foreground', fg),
    muted: cssVar(style, '--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    grid: cssVar(
      style,
      '--vscode-charts-lines',
      dark ? 'rgba(204,204,204,0.2)' : 'rgba(51,51,51,0.15)',
    ),
    background: cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(cssVar(style, '--vscode-font-size', '13')) || 13,
    primary: blue,
    front: orange,
    chosen: red,
    focus: cssVar(style, '--vscode-focusBorder', fg),
    failed: cssVar(style, '--vscode-errorForeground', red),
    series: [green, purple, yellow, blue, orange, red],
    baselines: [green, purple, yellow, fg, cssVar(style, '--vscode-descriptionForeground', fg)],
    highContrast,
  };
}

/** `color` with alpha, for fills: works for #rgb/#rrggbb; other syntaxes are returned as is. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Calls `onChange` whenever VS Code switches theme; returns a function that stops watching. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
