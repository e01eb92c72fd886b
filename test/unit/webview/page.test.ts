// The dashboard page in headless Chromium, driven through its message protocol only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DashboardPage, paretoPointPosition, THEMES } from '../../../scripts/dashboard-page';
import type { FusionEvalEvent } from '../../../src/contract/fusion-events';
import { fixtureEvents } from './fixture';
import { pageHarness, skip } from './page-harness';

const events = fixtureEvents();
const evals = events.filter((e): e is FusionEvalEvent => e.type === 'fusion-eval');
const snapshot = (upTo = events.length) => ({
  type: 'snapshot',
  runDir: '/runs/fixture',
  name: 'fixture',
  state: 'done',
  events: events.slice(0, upTo),
  lastSeq: events[upTo - 1]?.seq ?? -1,
});

const { open } = pageHarness('dashboard');

const paretoPoints = (d: DashboardPage) =>
  d.page.getAttribute('[data-testid="pareto-chart"]', 'data-points');

test('the page draws the fixture: every fusion evaluation and a row per method', {
  skip,
}, async () => {
  const d = await open();
  await d.send(snapshot());
  await d.page.waitForSelector('[data-testid="pareto-chart"][data-points]');
  assert.equal(await paretoPoints(d), String(evals.length));
  const methods = await d.page.$$eval('[data-testid="results-table"] tr[data-method]', (rows) =>
    rows.map((r) => r.getAttribute('data-method')),
  );
  const reported = events.flatMap((e) => (e.type === 'baseline' ? [e.name] : []));
  assert.deepEqual(methods, ['bomf', ...reported.filter((n) => n !== 'bomf')]);
  assert.ok(methods.length > 1, 'BOMF and at least one baseline');
  assert.deepEqual(d.problems, [], 'no errors and no CSP violations');
  await d.page.close();
});

test('parallel coordinates draw a line per ended trial, the failed ones counted, the objective axis last', {
  skip,
}, async () => {
  const d = await open();
  await d.send(snapshot());
  const chart = '[data-testid="parallel-chart"]';
  await d.page.waitForSelector(`${chart}[data-lines]`);
  const ends = events.filter((e) => e.type === 'trial-end');
  const attr = (name: string) => d.page.getAttribute(chart, name);
  assert.equal(await attr('data-lines'), String(new Set(ends.map((e) => e.trial)).size));
  assert.equal(
    await attr('data-failed'),
    String(ends.filter((e) => e.type === 'trial-end' && e.status === 'failed').length),
  );
  assert.equal((await attr('data-axes'))?.split('|').at(-1), 'objective');
  assert.deepEqual(d.problems, []);
  await d.page.close();
});

test('clicking a Pareto point shows it, and Export posts its weights', { skip }, async () => {
  const d = await open();
  await d.send(snapshot());
  await d.page.waitForSelector('[data-testid="pareto-chart"][data-points]');
  const target = await paretoPointPosition(d.page, 1);
  await d.page.mouse.click(target.x, target.y);
  await d.page.waitForFunction(
    (i) =>
      document.querySelector('[data-testid="pareto-details"] h3')?.textContent ===
      `Evaluation #${i}`,
    target.index,
  );
  await d.page.click('[data-testid="export-fused"]');
  const posted = await d.posted();
  assert.deepEqual(posted.at(-1), {
    type: 'export-fused',
    weights: evals[target.index]!.weights,
    evalIndex: target.index,
  });
  const state = (await d.state()) as { selectedEval?: number };
  assert.equal(state.selectedEval, target.index, 'the selection is persisted');
  await d.page.close();
});

test('a delta after a gap asks once for a resync, and the resent events are drawn', {
  skip,
}, async () => {
  const d = await open();
  const firstEval = events.findIndex((e) => e.type === 'fusion-eval');
  await d.send(snapshot(firstEval));
  // Skip one event: the page must not apply the rest and must ask from the missing seq.
  const gap = events.slice(firstEval + 1, firstEval + 6);
  await d.send({ type: 'events', fromSeq: gap[0]!.seq, events: gap });
  await d.send({ type: 'events', fromSeq: gap[0]!.seq, events: gap });
  const resyncs = (await d.posted()).filter((m) => m.type === 'resync');
  assert.deepEqual(resyncs, [{ type: 'resync', fromSeq: events[firstEval]!.seq }]);
  const rest = events.slice(firstEval);
  await d.send({ type: 'events', fromSeq: rest[0]!.seq, events: rest });
  await d.page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="pareto-chart"]')?.getAttribute('data-points') === n,
    String(evals.length),
  );
  await d.page.close();
});

test('a theme switch recolours the charts from the new VS Code variables', { skip }, async () => {
  const d = await open();
  await d.send(snapshot());
  await d.page.waitForSelector('[data-testid="pareto-chart"][data-points]');
  /** Waits until the Pareto chart's tick colour is `colour` (the switch is asynchronous). */
  const ticksBecome = (colour: string) =>
    d.page.waitForFunction(
      (c) => {
        const { Chart } = (window as never as { bomfWebview: typeof import('chart.js') })
          .bomfWebview;
        const canvas = document.querySelector(
          '[data-testid="pareto-chart"] canvas',
        ) as HTMLCanvasElement;
        return (Chart.getChart(canvas)!.options.scales!.x!.ticks as { color: string }).color === c;
      },
      colour,
      { timeout: 5000 },
    );
  await ticksBecome(THEMES.light.vars['charts-foreground']!);
  await d.setTheme('dark');
  await ticksBecome(THEMES.dark.vars['charts-foreground']!);
  await d.page.close();
});
