// The compare-runs page in headless Chromium, driven through its message protocol only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompareMessage } from '../../../src/contract/experiments-protocol';
import { experimentRow } from '../../../src/webview/model/experiment-rows';
import { fixtureEvents, foldAll } from './fixture';
import { pageHarness, skip } from './page-harness';

const { open } = pageHarness('compare');

const events = fixtureEvents();
const run = (runDir: string, title: string, seed: number) => ({
  row: experimentRow({ runDir, title, state: 'done', fold: foldAll(events) }, 0),
  events,
  config: { name: 'sst2', seed, train: { lr: 0.1 } },
});

test('two runs: both fronts drawn, their results side by side, only the differing config key listed', {
  skip,
}, async () => {
  const d = await open();
  const message: CompareMessage = {
    type: 'compare',
    runs: [run('/r/a', 'seed 1', 1), run('/r/b', 'seed 2', 2)],
  };
  await d.send(message);
  await d.page.waitForSelector('[data-testid="compare-fronts-chart"][data-fronts]');
  const fronts = JSON.parse(
    (await d.page.getAttribute('[data-testid="compare-fronts-chart"]', 'data-fronts'))!,
  );
  // One front per run, neither empty: catches drawing only the first run.
  assert.equal(fronts.length, 2);
  // The serializer reopens these after a reload (catches a page that never persists them).
  assert.deepEqual(await d.state(), { runDirs: ['/r/a', '/r/b'] });
  assert.ok(fronts.every((n: number) => n > 0));
  const heads = await d.page.$$eval('[data-testid="compare-results-table"] thead th', (ths) =>
    ths.map((t) => t.textContent),
  );
  assert.deepEqual(heads, ['', 'seed 1', 'seed 2']);
  // Same log twice: no results row differs; the config differs in `seed` only.
  assert.equal(
    await d.page.$$eval('[data-testid="compare-results-table"] tr.differs', (r) => r.length),
    0,
  );
  const keys = await d.page.$$eval('[data-testid="compare-config-table"] tbody tr', (r) =>
    r.map((x) => x.getAttribute('data-key')),
  );
  assert.deepEqual(keys, ['seed']);
  await d.page.uncheck('[data-testid="only-differences"]');
  const all = await d.page.$$eval('[data-testid="compare-config-table"] tbody tr', (r) => r.length);
  assert.equal(all, 3);
  assert.deepEqual(d.problems, []);
});
