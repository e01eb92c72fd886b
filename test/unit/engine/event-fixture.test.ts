// The dashboard's and side panel's event fixture is what the engine writes today.
// Refresh it after a deliberate change to the pipeline's events with
//   BOMF_UPDATE_FIXTURES=1 node scripts/test.mjs event-fixture
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { FIXTURE as FIXTURE_FILE } from '../contract/fixture';
import { recordFixtureLog } from './record-fixture';

test('the recorded event fixture equals a fresh run of the pipeline (synthetic lab)', async () => {
  const fresh = await recordFixtureLog();
  if (process.env.BOMF_UPDATE_FIXTURES === '1') fs.writeFileSync(FIXTURE_FILE, fresh);
  const recorded = fs.readFileSync(FIXTURE_FILE, 'utf8');
  // Line by line, so a failure names the first event that drifted.
  const freshLines = fresh.split('\n');
  recorded.split('\n').forEach((line, i) => {
    assert.equal(line, freshLines[i], `line ${i + 1} of ${FIXTURE_FILE} differs from the engine's`);
  });
  assert.equal(recorded.split('\n').length, freshLines.length, 'the engine writes more events');
});
