import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHostToWebviewMessage, isWebviewToHostMessage } from '../../../src/contract/protocol';
import { fixtureEvents } from './fixture';

const events = fixtureEvents();

test('the webview accepts a snapshot, a delta and a run-state change', () => {
  assert.ok(
    isHostToWebviewMessage({
      type: 'snapshot',
      runDir: '/r',
      name: 'run',
      state: 'done',
      events,
      lastSeq: events.at(-1)!.seq,
    }),
  );
  assert.ok(
    isHostToWebviewMessage({
      type: 'snapshot',
      runDir: '/r',
      name: 'r',
      state: 'running',
      events: [],
      lastSeq: -1,
    }),
  );
  assert.ok(isHostToWebviewMessage({ type: 'events', fromSeq: 5, events: events.slice(5, 9) }));
  assert.ok(isHostToWebviewMessage({ type: 'run-state', state: 'interrupted' }));
});

test('the webview rejects malformed host messages', () => {
  const bad: unknown[] = [
    null,
    'snapshot',
    [],
    { type: 'snapshot', runDir: '/r', name: 'r', state: 'paused', events: [], lastSeq: -1 },
    { type: 'snapshot', runDir: '/r', name: 'r', state: 'done', events: [], lastSeq: -2 },
    { type: 'snapshot', runDir: 3, name: 'r', state: 'done', events: [], lastSeq: -1 },
    { type: 'events', fromSeq: 4, events: events.slice(5, 9) },
    { type: 'events', fromSeq: 0, events: [{ seq: 0, type: 'no-such-event' }] },
    { type: 'events', fromSeq: 0, events: [{ seq: -1, type: 'log' }] },
    { type: 'events', fromSeq: 0, events: [{ seq: 0.5, type: 'log' }] },
    { type: 'events', fromSeq: 0, events: {} },
    { type: 'run-state', state: 'DONE' },
    { type: 'hello' },
  ];
  for (const m of bad) assert.equal(isHostToWebviewMessage(m), false, JSON.stringify(m));
});

test('the host accepts the webview messages it knows', () => {
  assert.ok(isWebviewToHostMessage({ type: 'ready' }));
  assert.ok(isWebviewToHostMessage({ type: 'reveal-run' }));
  assert.ok(isWebviewToHostMessage({ type: 'resync', fromSeq: 0 }));
  assert.ok(isWebviewToHostMessage({ type: 'export-fused', weights: [0.25, 0.75], evalIndex: 3 }));
});

test('the host rejects malformed or unknown webview messages', () => {
  const bad: unknown[] = [
    undefined,
    42,
    { type: 'resync' },
    { type: 'resync', fromSeq: -1 },
    { type: 'resync', fromSeq: '3' },
    { type: 'export-fused', weights: [], evalIndex: 0 },
    { type: 'export-fused', weights: [0.5, Number.NaN], evalIndex: 0 },
    { type: 'export-fused', weights: [0.5, '0.5'], evalIndex: 0 },
    { type: 'export-fused', weights: [1], evalIndex: 1.5 },
    { type: 'export-fused', weights: [1] },
    { type: 'run-command', command: 'rm -rf /' },
  ];
  for (const m of bad) assert.equal(isWebviewToHostMessage(m), false, JSON.stringify(m));
});
