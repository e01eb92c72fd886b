// The contract's fold (the dashboard's too) keeps the latest data summary for the header's data card.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataSummaryEvent } from '../../../src/contract/events';
import { emptyRunFold, foldEvent } from '../../../src/contract/fold';
import { isHostToWebviewMessage } from '../../../src/contract/protocol';

const summary = (seq: number, rows: number): DataSummaryEvent => ({
  type: 'data-summary',
  seq,
  time: '',
  task: 'classification',
  labels: ['0', '1'],
  splits: [
    {
      split: 'train',
      rows,
      classCounts: [1, rows - 1],
      textLength: { p5: 1, p50: 2, p95: 3, max: 4 },
    },
  ],
  warnings: [],
});

// Bugs caught: the event dropped by the protocol's type check, or a resumed run's newer summary
// not replacing the first one.
test('the latest data-summary reaches the header', () => {
  assert.ok(isHostToWebviewMessage({ type: 'events', fromSeq: 3, events: [summary(3, 5)] }));
  const run = emptyRunFold();
  // 'run' is the section the header redraws on.
  assert.deepEqual(foldEvent(run, summary(1, 5)), ['run']);
  foldEvent(run, summary(9, 7));
  assert.equal(run.dataSummary?.splits[0]?.rows, 7);
});
