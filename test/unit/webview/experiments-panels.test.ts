// The experiments table's and the compare view's host panels against a fake VS Code.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeEach, mock, test } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import type {
  CompareMessage,
  ExperimentsMessage,
} from '../../../src/contract/experiments-protocol';
import type { RunHandle, RunRegistry } from '../../../src/extension/runs/registry';
import { EventEmitter, executed, FakePanel, installFakeVscode } from './fake-vscode';
import { fixtureEvents } from './fixture';

installFakeVscode();
const { ExperimentsTablePanel } =
  require('../../../src/extension/experiments-table/table-panel') as typeof import('../../../src/extension/experiments-table/table-panel');
const { ComparePanel } =
  require('../../../src/extension/experiments-table/compare-panel') as typeof import('../../../src/extension/experiments-table/compare-panel');

const extensionUri = { path: '/ext', toString: () => '/ext' } as never;

function registryOf(
  dirs: string[],
  changed = new EventEmitter<RunHandle | undefined>(),
): RunRegistry {
  const events: BomfEvent[] = fixtureEvents();
  const runs: RunHandle[] = dirs.map((runDir) => ({
    runDir,
    name: `run ${path.basename(runDir)}`,
    events,
    state: 'done',
    onDidAppend: new EventEmitter<readonly BomfEvent[]>().event,
  }));
  return {
    get: (d) => runs.find((r) => r.runDir === path.resolve(d)),
    all: () => runs,
    onDidChange: changed.event,
  };
}

beforeEach(() => {
  executed.length = 0;
});

test('the table posts one row per run once the page is ready, and nothing before', () => {
  const panel = new FakePanel();
  new ExperimentsTablePanel(panel as never, registryOf(['/r/a', '/r/b']), extensionUri);
  assert.match(panel.webview.html, /data-page="experiments"/);
  assert.deepEqual(panel.posted, []); // catches posting into a page that has not mounted
  panel.fromPage({ type: 'ready' });
  const message = panel.posted[0] as ExperimentsMessage;
  assert.equal(message.type, 'experiments');
  assert.deepEqual(
    message.rows.map((r) => r.title),
    ['run a', 'run b'],
  );
});

test('run changes are sent at most once a second, never to a hidden page nor after closing', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const changed = new EventEmitter<RunHandle | undefined>();
    const panel = new FakePanel();
    const table = new ExperimentsTablePanel(
      panel as never,
      registryOf(['/r/a'], changed),
      extensionUri,
    );
    changed.fire(undefined); // before ready: the ready message will send everything
    mock.timers.tick(5000);
    assert.equal(panel.posted.length, 0);
    panel.fromPage({ type: 'ready' });
    for (let i = 0; i < 50; i++) changed.fire(undefined);
    mock.timers.tick(999);
    assert.equal(panel.posted.length, 1, 'only the ready snapshot before the delay ends');
    mock.timers.tick(1);
    assert.equal(panel.posted.length, 2, 'fifty changes, one refresh');
    panel.hide(); // the page is torn down: a refresh would be lost
    changed.fire(undefined);
    mock.timers.tick(5000);
    assert.equal(panel.posted.length, 2);
    panel.fromPage({ type: 'ready' });
    changed.fire(undefined);
    table.dispose(); // catches a timer that outlives the panel
    mock.timers.tick(5000);
    assert.equal(panel.posted.length, 3);
    assert.equal(changed.listenerCount, 0, 'the registry listener is dropped');
  } finally {
    mock.timers.reset();
  }
});

test("the table's Open and Compare become commands; malformed requests are dropped", () => {
  const panel = new FakePanel();
  new ExperimentsTablePanel(panel as never, registryOf(['/r/a', '/r/b']), extensionUri);
  panel.fromPage({ type: 'open-runs', runDirs: ['/r/a'] });
  panel.fromPage({ type: 'compare-runs', runDirs: ['/r/a', '/r/b'] });
  panel.fromPage({ type: 'compare-runs', runDirs: ['/r/a'] }); // one run: no comparison
  panel.fromPage({ type: 'delete-runs', runDirs: ['/r/a'] });
  assert.deepEqual(executed, [
    { command: 'bomf.openDashboard', args: [{ runDir: '/r/a' }] },
    { command: 'bomf.compareRuns', args: [['/r/a', '/r/b']] },
  ]);
});

test('the compare view sends each run with its events and its resolved config, in the order asked', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-compare-'));
  const [a, b] = ['a', 'b'].map((n) => path.join(tmp, n));
  fs.mkdirSync(a!);
  fs.mkdirSync(b!);
  fs.writeFileSync(path.join(a!, 'config.resolved.yaml'), 'name: tiny\nseed: 1\n');
  // b has no config file: its diff column shows '–' rather than failing the whole view.
  const panel = new FakePanel();
  const compare = new ComparePanel(panel as never, registryOf([a!, b!]), extensionUri);
  compare.show([b!, a!]);
  assert.deepEqual(panel.posted, []);
  panel.fromPage({ type: 'ready' });
  const message = panel.posted.at(-1) as unknown as CompareMessage;
  assert.deepEqual(
    message.runs.map((r) => r.row.runDir),
    [b, a],
  ); // catches registry order
  assert.equal(message.runs[0]!.config, undefined);
  assert.deepEqual(message.runs[1]!.config, { name: 'tiny', seed: 1 });
  assert.equal(message.runs[1]!.events.length, fixtureEvents().length);
  fs.rmSync(tmp, { recursive: true, force: true });
});
