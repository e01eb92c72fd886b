import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isCompareMessage,
  isExperimentsHostMessage,
  isExperimentsWebviewMessage,
  persistedCompareRunDirs,
} from '../../../src/contract/experiments-protocol';

const row = {
  runDir: '/r',
  title: 't',
  state: 'done',
  params: { lr: 0.1 },
  test: 0.8,
  verdict: 'noise',
};

test('the table page accepts rows with or without metric values', () => {
  assert.ok(isExperimentsHostMessage({ type: 'experiments', rows: [] }));
  assert.ok(
    isExperimentsHostMessage({
      type: 'experiments',
      rows: [row, { ...row, test: undefined, verdict: undefined }],
    }),
  );
});

test('the table page drops rows of the wrong shape', () => {
  // Each catches a field the guard forgot to check.
  assert.ok(
    !isExperimentsHostMessage({ type: 'experiments', rows: [{ ...row, state: 'sleeping' }] }),
  );
  assert.ok(
    !isExperimentsHostMessage({ type: 'experiments', rows: [{ ...row, params: { lr: '0.1' } }] }),
  );
  assert.ok(!isExperimentsHostMessage({ type: 'experiments', rows: [{ ...row, test: '0.8' }] }));
  assert.ok(
    !isExperimentsHostMessage({ type: 'experiments', rows: [{ ...row, verdict: 'maybe' }] }),
  );
  assert.ok(!isExperimentsHostMessage({ type: 'experiments', rows: {} }));
});

test('the host accepts open and compare requests only with distinct run folders, compare with two or more', () => {
  assert.ok(isExperimentsWebviewMessage({ type: 'ready' }));
  assert.ok(isExperimentsWebviewMessage({ type: 'open-runs', runDirs: ['/a'] }));
  assert.ok(isExperimentsWebviewMessage({ type: 'compare-runs', runDirs: ['/a', '/b'] }));
  // Catches an off-by-one in the minimum count and a missing duplicate check.
  assert.ok(!isExperimentsWebviewMessage({ type: 'compare-runs', runDirs: ['/a'] }));
  assert.ok(!isExperimentsWebviewMessage({ type: 'compare-runs', runDirs: ['/a', '/a'] }));
  assert.ok(!isExperimentsWebviewMessage({ type: 'open-runs', runDirs: [] }));
  assert.ok(!isExperimentsWebviewMessage({ type: 'open-runs', runDirs: [''] }));
  assert.ok(!isExperimentsWebviewMessage({ type: 'open-runs', runDirs: [3] }));
  assert.ok(!isExperimentsWebviewMessage({ type: 'delete-runs', runDirs: ['/a'] }));
});

test('the compare page accepts runs with rows and event logs, config optional', () => {
  const ok = { row, events: [{ type: 'log', seq: 0, time: 't', level: 'info', message: 'm' }] };
  assert.ok(isCompareMessage({ type: 'compare', runs: [ok, { ...ok, config: { a: 1 } }] }));
  // Catches an unchecked row or event log.
  assert.ok(!isCompareMessage({ type: 'compare', runs: [{ ...ok, row: { ...row, title: 3 } }] }));
  assert.ok(
    !isCompareMessage({ type: 'compare', runs: [{ ...ok, events: [{ type: 'nope', seq: 0 }] }] }),
  );
  assert.ok(!isCompareMessage({ type: 'experiments', runs: [] }));
});

test('a restored compare panel reopens only a persisted list of two or more run folders', () => {
  assert.deepEqual(persistedCompareRunDirs({ runDirs: ['/a', '/b'] }), ['/a', '/b']);
  // Catches reopening an empty comparison, or trusting whatever the page stored.
  assert.equal(persistedCompareRunDirs({ runDirs: ['/a'] }), undefined);
  assert.equal(persistedCompareRunDirs({ runDirs: '/a,/b' }), undefined);
  assert.equal(persistedCompareRunDirs(undefined), undefined);
});
