import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import {
  describeEvent,
  jsonLinesSink,
  plainSink,
  progressBarSink,
} from '../../../src/engine/commands/event-printer';

const base = { seq: 0, time: '2026-01-01T00:00:00.000Z' };
const events: BomfEvent[] = [
  { ...base, type: 'stage-start', stage: 'fusion', total: 2 },
  {
    ...base,
    type: 'fusion-eval',
    index: 0,
    source: 'member',
    x: [1],
    weights: [1, 0],
    validation: { loss: 0.5, metrics: { accuracy: 0.7 } },
    objectives: [1, 0],
  },
  {
    ...base,
    type: 'fusion-eval',
    index: 1,
    source: 'initial',
    x: [0.5],
    weights: [0.5, 0.5],
    validation: { loss: 0.4, metrics: { accuracy: 0.8 } },
    objectives: [1, 1],
  },
  { ...base, type: 'pareto-update', front: [1], hypervolume: 1, evaluations: 2 },
  { ...base, type: 'stage-end', stage: 'fusion', status: 'done', seconds: 1.5 },
  { ...base, type: 'run-end', status: 'done', seconds: 2 },
];

function capture(sink: (out: PassThrough) => (e: BomfEvent) => void): string {
  // A terminal stand-in: the progress bar draws only on a TTY.
  const out = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  let text = '';
  out.on('data', (c) => {
    text += c.toString();
  });
  const write = sink(out);
  for (const e of events) write(e);
  return text;
}

test('plain output has one line per notable event and none for chatty ones', () => {
  const lines = capture(plainSink).trim().split('\n');
  assert.deepEqual(lines, [
    'stage fusion: 2 to do',
    'fusion 0 (member): loss 0.5, accuracy 0.7',
    'fusion 1 (initial): loss 0.4, accuracy 0.8',
    'stage fusion done in 1.5 s',
    'run done after 2.0 s',
  ]);
  assert.equal(describeEvent(events[3]!), undefined);
});

test('JSON-lines output round-trips every event', () => {
  const parsed = capture(jsonLinesSink)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(parsed, events);
});

test('the progress bar counts searched fusion models, not the free members, and prints each end once', () => {
  const text = capture(progressBarSink);
  assert.match(text, /fusion \[[=-]+\] 1\/2 /);
  assert.doesNotMatch(text, /2\/2/);
  assert.equal(text.match(/run done after 2\.0 s/g)?.length, 1);
  assert.equal(text.match(/stage fusion done in 1\.5 s/g)?.length, 1);
});
