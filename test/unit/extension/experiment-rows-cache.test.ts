import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import { ExperimentRowCache } from '../../../src/extension/experiments-table/table-rows';
import type { RunHandle, RunRegistry, RunState } from '../../../src/extension/runs/registry';
import { fixtureEvents } from '../contract/fixture';

function handle(runDir: string, events: BomfEvent[], state: RunState = 'done'): RunHandle {
  return { runDir, name: runDir, events, state, onDidAppend: () => ({ dispose() {} }) };
}
const registryOf = (runs: RunHandle[]): RunRegistry => ({
  get: (d) => runs.find((r) => r.runDir === d),
  all: () => runs,
  onDidChange: () => ({ dispose() {} }),
});

test('a run folded in two halves gives the row of the whole log (no event folded twice or skipped)', () => {
  const all = fixtureEvents();
  const growing = handle('/r/a', all.slice(0, 40), 'running');
  const whole = handle('/r/b', all);
  const cache = new ExperimentRowCache();
  const registry = registryOf([growing, whole]);
  const before = cache.rows(registry, Date.now())[0]!;
  assert.equal(before.test, undefined);
  (growing.events as BomfEvent[]).push(...all.slice(40));
  (growing as { state: RunState }).state = 'done';
  const [a, b] = cache.rows(registry, Date.now());
  // Catches refolding from the start into the same accumulator or losing the tail.
  assert.deepEqual({ ...a, runDir: '', title: '' }, { ...b, runDir: '', title: '' });
});

test('an unchanged finished run keeps its row; a new label rebuilds it', () => {
  const run = handle('/r/a', fixtureEvents());
  const cache = new ExperimentRowCache();
  const first = cache.rows(registryOf([run]), Date.now())[0];
  assert.equal(cache.rows(registryOf([run]), Date.now())[0], first); // no second bootstrap
  (run as { name: string }).name = 'seed 2';
  assert.equal(cache.rows(registryOf([run]), Date.now())[0]!.title, 'seed 2');
});
