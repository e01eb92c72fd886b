/** A dashboard card: title, optional toolbar, body, and a placeholder shown while it has no data. */
import { el } from './dom';

export interface Card {
  root: HTMLElement;
  toolbar: HTMLElement;
  body: HTMLElement;
  /** Shows `message` instead of the body, or the body when undefined. */
  setEmpty(message: string | undefined): void;
}

export function card(title: string, testId: string, wide = false): Card {
  const toolbar = el('div', { class: 'card-toolbar' });
  const body = el('div', { class: 'card-body' });
  const empty = el('p', { class: 'card-empty', hidden: '' });
  const root = el(
    'section',
    { class: wide ? 'card wide' : 'card', 'data-testid': testId },
    el('header', { class: 'card-header' }, el('h2', { text: title }), toolbar),
    empty,
    body,
  );
  return {
    root,
    toolbar,
    body,
    setEmpty(message) {
      empty.hidden = message === undefined;
      empty.textContent = message ?? '';
      body.classList.toggle('is-empty', message !== undefined);
    },
  };
}

/** A fixed-height box for a canvas (Chart.js sizes itself to its parent). */
export function chartBox(testId: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = el('canvas');
  const box = el('div', { class: 'chart-box', 'data-testid': testId }, canvas);
  return { box, canvas };
}
