/** A small element factory: the page builds its DOM without innerHTML (no markup injection). */

type Attrs = Record<string, string | number | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (name === 'class') node.className = String(value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

/** Fills a <select> with options, keeping `selected` chosen. */
export function setOptions(
  select: HTMLSelectElement,
  options: readonly { value: string; label: string }[],
  selected: string | undefined,
): void {
  const same =
    select.options.length === options.length &&
    options.every((o, i) => select.options[i]!.value === o.value);
  if (!same) {
    select.replaceChildren(...options.map((o) => el('option', { value: o.value, text: o.label })));
  }
  if (selected !== undefined && options.some((o) => o.value === selected)) select.value = selected;
}

/** 4 significant digits; exponent form for very small or large magnitudes. */
export function formatNumber(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

export function formatWeights(weights: readonly number[]): string {
  return weights.map((w) => w.toFixed(2)).join(' · ');
}
