import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import type { RunHandle, RunRegistry, RunState } from '../../../src/extension/runs/registry';
import { EventEmitter, executed, FakePanel, installFakeVscode } from './fake-vscode';
import { fixtureEvents } from './fixture';

installFakeVscode();
const { DashboardPanel } =
  require('../../../src/extension/dashboard/dashboard-panel') as typeof import('../../../src/extension/dashboard/dashboard-panel');

const all = fixtureEvents();
const runDir = '/runs/sst2';

class FakeHandle implements RunHandle {
  readonly runDir = runDir;
  readonly name = 'sst2-bomf';
  events: BomfEvent[];
  state: RunState = 'running';
  readonly appended = new EventEmitter<readonly BomfEvent[]>();
  readonly onDidAppend = this.appended.event;
  constructor(events: BomfEvent[]) {
    this.events = events;
  }
  append(events: BomfEvent[]): void {
    this.events.push(...events);
    this.appended.fire(events);
  }
}

class FakeRegistry implements RunRegistry {
  readonly runs = new Map<string, RunHandle>();
  readonly changed = new EventEmitter<RunHandle | undefined>();
  readonly onDidChange = this.changed.event;
  get(dir: string) {
    return this.runs.get(dir);
  }
  all() {
    return [...this.runs.values()];
  }
}

function open(handle: RunHandle | undefined) {
  const registry = new FakeRegistry();
  if (handle) registry.runs.set(runDir, handle);
  const panel = new FakePanel();
  const dashboard = new DashboardPanel(panel as never, registry, runDir, {
    path: '/ext',
    toString: () => '/ext',
  } as never);
  return { registry, panel, dashboard };
}

beforeEach(() => {
  executed.length = 0;
});

test('nothing is posted before the page is ready; then a snapshot of every event', () => {
  const handle = new FakeHandle(all.slice(0, 10));
  const { panel } = open(handle);
  assert.match(panel.webview.html, /Content-Security-Policy/);
  handle.append(all.slice(10, 12));
  assert.deepEqual(panel.posted, []);
  panel.fromPage({ type: 'ready' });
  assert.equal(panel.posted.length, 1);
  const snapshot = panel.posted[0] as { type: string; events: BomfEvent[]; lastSeq: number };
  assert.equal(snapshot.type, 'snapshot');
  assert.equal(snapshot.events.length, 12);
  assert.equal(snapshot.lastSeq, all[11]!.seq);
});

test('after the snapshot, appended events go out as deltas', () => {
  const handle = new FakeHandle(all.slice(0, 10));
  const { panel } = open(handle);
  panel.fromPage({ type: 'ready' });
  handle.append(all.slice(10, 13));
  assert.deepEqual(panel.posted[1], { type: 'events', fromSeq: 10, events: all.slice(10, 13) });
});

test('a hidden page gets no deltas, and a new snapshot when it is ready again', () => {
  const handle = new FakeHandle(all.slice(0, 10));
  const { panel } = open(handle);
  panel.fromPage({ type: 'ready' });
  panel.hide();
  handle.append(all.slice(10, 13));
  assert.equal(panel.posted.length, 1);
  panel.fromPage({ type: 'ready' });
  assert.equal((panel.posted[1] as { events: unknown[] }).events.length, 13);
});

test('resync resends from the requested seq, or a snapshot when that seq is unknown', () => {
  const handle = new FakeHandle(all.slice(0, 20));
  const { panel } = open(handle);
  panel.fromPage({ type: 'ready' });
  panel.fromPage({ type: 'resync', fromSeq: 15 });
  assert.deepEqual(panel.posted[1], { type: 'events', fromSeq: 15, events: all.slice(15, 20) });
  panel.fromPage({ type: 'resync', fromSeq: 500 });
  assert.equal((panel.posted[2] as { type: string }).type, 'snapshot');
});

test('export runs the export command with the run folder; malformed requests are dropped', () => {
  const { panel } = open(new FakeHandle(all.slice()));
  panel.fromPage({ type: 'export-fused', weights: [0.5, 0.5], evalIndex: 3 });
  panel.fromPage({ type: 'export-fused', weights: 'all', evalIndex: 3 });
  panel.fromPage({ type: 'export-fused', weights: [1], evalIndex: -1 });
  assert.deepEqual(executed, [
    {
      command: 'bomf.exportFusedCheckpoint',
      args: [{ runDir, weights: [0.5, 0.5], evalIndex: 3 }],
    },
  ]);
});

test('reveal asks the extension to reveal the run folder', () => {
  const { panel } = open(new FakeHandle(all.slice()));
  panel.fromPage({ type: 'reveal-run' });
  assert.deepEqual(executed, [{ command: 'bomf.revealRunFolder', args: [{ runDir }] }]);
});

test('a run that appears in the registry later is bound and sent; state changes follow', () => {
  const { panel, registry } = open(undefined);
  panel.fromPage({ type: 'ready' });
  assert.deepEqual(panel.posted, []);
  const handle = new FakeHandle(all.slice(0, 5));
  registry.runs.set(runDir, handle);
  registry.changed.fire(undefined);
  assert.equal((panel.posted[0] as { type: string }).type, 'snapshot');
  handle.state = 'interrupted';
  registry.changed.fire(handle);
  assert.deepEqual(panel.posted[1], { type: 'run-state', state: 'interrupted' });
  registry.changed.fire(handle);
  assert.equal(panel.posted.length, 2, 'an unchanged state is not re-sent');
});

test('closing the panel drops every listener on the run and the registry', () => {
  const handle = new FakeHandle(all.slice(0, 5));
  const { panel, registry } = open(handle);
  assert.equal(handle.appended.listenerCount, 1);
  panel.dispose();
  assert.equal(handle.appended.listenerCount, 0);
  assert.equal(registry.changed.listenerCount, 0);
});
