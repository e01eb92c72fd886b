import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDelta } from '../../../src/contract/fold';
import { fixtureEvents } from './fixture';

const events = fixtureEvents();
const seqs = (r: { accepted: { seq: number }[] }) => r.accepted.map((e) => e.seq);

test('a contiguous delta is accepted whole', () => {
  const r = applyDelta(4, events.slice(5, 10));
  assert.deepEqual(seqs(r), [5, 6, 7, 8, 9]);
  assert.equal(r.lastSeq, 9);
  assert.equal(r.resyncFrom, undefined);
});

test('the first delta after an empty snapshot starts at seq 0', () => {
  const r = applyDelta(-1, events.slice(0, 3));
  assert.deepEqual(seqs(r), [0, 1, 2]);
  assert.equal(applyDelta(-1, events.slice(1, 3)).resyncFrom, 0);
});

test('events already held are dropped when a delta overlaps', () => {
  const r = applyDelta(7, events.slice(5, 10));
  assert.deepEqual(seqs(r), [8, 9]);
  assert.equal(r.lastSeq, 9);
  assert.deepEqual(seqs(applyDelta(9, events.slice(5, 10))), []);
});

test('a gap before the delta asks for a resync from the first missing seq', () => {
  const r = applyDelta(4, events.slice(7, 10));
  assert.deepEqual(seqs(r), []);
  assert.equal(r.lastSeq, 4);
  assert.equal(r.resyncFrom, 5);
});

test('a gap inside the delta keeps what came before it', () => {
  const r = applyDelta(4, [...events.slice(5, 7), ...events.slice(8, 10)]);
  assert.deepEqual(seqs(r), [5, 6]);
  assert.equal(r.lastSeq, 6);
  assert.equal(r.resyncFrom, 7);
});
