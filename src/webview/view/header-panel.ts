/**
 * The header: run name and state, per-stage progress, problems, "Reveal run folder", and a
 * small card of the data the run loaded (rows, classes, text lengths, data warnings).
 */
import { dataSummaryLines } from '../../contract/data-summary';
import type { RunFold } from '../../contract/fold';
import type { DashboardRunState } from '../../contract/protocol';
import { formatDuration, timingLine } from '../../contract/timing';
import { stageSummaries } from '../model/summary';
import { el } from './dom';

export interface HeaderView {
  root: HTMLElement;
  render(run: RunFold, name: string, state: DashboardRunState | undefined): void;
}

export function headerPanel(onReveal: () => void): HeaderView {
  const title = el('h1', { text: 'BOMF run' });
  const state = el('span', { class: 'state', 'data-testid': 'run-state' });
  const timing = el('span', { class: 'timing', 'data-testid': 'run-timing' });
  const stages = el('ol', { class: 'stages', 'data-testid': 'stages' });
  const problems = el('ul', { class: 'problems', 'data-testid': 'problems' });
  const data = el('section', { class: 'data-summary', 'data-testid': 'data-summary' });
  const reveal = el('button', { type: 'button', class: 'secondary', text: 'Reveal run folder' });
  reveal.addEventListener('click', onReveal);
  const root = el(
    'header',
    { class: 'run-header' },
    el(
      'div',
      { class: 'title-row' },
      title,
      state,
      timing,
      el('span', { class: 'spacer' }),
      reveal,
    ),
    stages,
    data,
    problems,
  );

  function render(run: RunFold, name: string, runState: DashboardRunState | undefined): void {
    title.textContent = name || run.start?.name || 'BOMF run';
    state.textContent = runState ?? 'waiting for the run…';
    state.dataset.state = runState ?? 'waiting';
    // Elapsed time and ETA as of the latest event (the header redraws with each one).
    timing.textContent =
      runState === 'running' || runState === 'done' ? timingLine(run, Date.now()) : '';
    stages.replaceChildren(
      ...stageSummaries(run).map((s) => {
        const progress = s.total > 0 ? `${Math.min(s.done, s.total)} / ${s.total}` : '';
        const took =
          s.seconds !== undefined && s.status !== 'running'
            ? ` · ${formatDuration(s.seconds)}`
            : '';
        return el(
          'li',
          { 'data-status': s.status, 'data-stage': s.stage },
          el('span', { class: 'stage-label', text: s.label }),
          el('span', {
            class: 'stage-progress',
            text: `${s.status}${progress ? ` · ${progress}` : ''}${took}`,
          }),
        );
      }),
    );
    const summary = run.dataSummary;
    data.hidden = !summary;
    data.replaceChildren(
      ...(summary
        ? [
            el('h2', { text: 'Data' }),
            ...dataSummaryLines(summary).map((line) => el('p', { text: line })),
            el(
              'ul',
              { class: 'problems' },
              ...summary.warnings.map((w) => el('li', { class: 'warn', text: w })),
            ),
          ]
        : []),
    );
    problems.replaceChildren(
      ...run.problems
        .slice(-3)
        .map((pr) => el('li', { class: pr.fatal ? 'fatal' : 'warn', text: pr.message })),
    );
  }

  return { root, render };
}
