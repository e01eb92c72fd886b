// A job that the run's own stop cancelled (Ctrl-C, the editor's Stop) is neither the unit's
// outcome nor a failure: resume must submit the unit afresh. Reattaching to the cancelled job
// recorded every trial running at the stop as failed ("killed by signal 15") after a resume.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BomfEvent, JobEvent } from '../../../src/contract/events';
import type { JobReport } from '../../../src/engine/executor/executor';
import { LocalExecutor } from '../../../src/engine/executor/local';
import { runJob } from '../../../src/engine/executor/run-job';
import type { RunContext } from '../../../src/engine/pipeline/context';
import { jobFailed, unitJob } from '../../../src/engine/pipeline/slots';

/** Just the part of a run context that unitJob and jobFailed read: the job events. */
function contextOf(events: BomfEvent[]): RunContext {
  return {
    config: {},
    log: {
      ofType: (type: string) => events.filter((e) => e.type === type),
      append: (e: Omit<JobEvent, 'seq' | 'time'>) =>
        events.push({ ...e, seq: events.length, time: '' } as JobEvent),
    },
  } as unknown as RunContext;
}

test('a job cancelled by the run’s stop is recorded as stopped, and resume submits the unit afresh', async () => {
  const executor = new LocalExecutor(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-stop-job-'));
  try {
    const spec = (script: string) => ({
      name: 'trial-1',
      argv: ['sh', '-c', script],
      cwd: dir,
      dir,
    });
    const events: BomfEvent[] = [];
    const stop = new AbortController();
    const first = unitJob(contextOf(events), 'search', 'trial-1');
    const running = runJob(executor, spec('sleep 30'), { ...first, signal: stop.signal });
    // Stop once the job runs (its wrapper wrote `started`).
    while (!events.some((e) => e.type === 'job' && e.state === 'running')) {
      await new Promise((r) => setTimeout(r, 50));
    }
    stop.abort();
    const end = await running;
    assert.notDeepEqual(end, { kind: 'exited', code: 0 });
    const ended = events.at(-1) as JobEvent;
    // Bug caught: the end of a cancelled job recorded like any other kill.
    assert.equal(ended.state, 'ended');
    assert.equal(ended.stopped, true);
    // Bug caught: a stage-3 candidate whose job the stop cancelled skipped as failed on resume.
    assert.equal(jobFailed(contextOf(events), 'trial-1'), false);

    // The resumed driver: no recorded job to reattach to, a fresh submission that runs the unit.
    const again = unitJob(contextOf(events), 'search', 'trial-1');
    assert.equal(again.recordedId, undefined);
    assert.equal(again.afresh, true);
    const reports: JobReport[] = [];
    const resumed = await runJob(executor, spec('exit 0'), {
      ...again,
      onJob: (e) => reports.push(e),
      signal: new AbortController().signal,
    });
    // Bug caught: reattaching to the cancelled job ends the unit "killed by signal 15" again.
    assert.deepEqual(resumed, { kind: 'exited', code: 0 });
    assert.equal(reports[0]!.reattached, undefined);
    assert.notEqual(reports[0]!.jobId, ended.jobId);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a job that failed on its own is still a failed unit, and one that ended well is not', () => {
  const ended = (extra: Partial<JobEvent>): BomfEvent[] => [
    {
      type: 'job',
      unit: 'eval-2',
      stage: 'fusion',
      executor: 'local',
      jobId: '7:1',
      state: 'ended',
      seq: 0,
      time: '',
      ...extra,
    } as JobEvent,
  ];
  // Bug caught: a stop flag that hides real failures (a cancel from outside, a crash).
  assert.equal(jobFailed(contextOf(ended({ reason: 'cancelled from outside' })), 'eval-2'), true);
  assert.equal(jobFailed(contextOf(ended({ exitCode: 1 })), 'eval-2'), true);
  assert.equal(jobFailed(contextOf(ended({ exitCode: 0 })), 'eval-2'), false);
  // A unit whose job was not cancelled by a stop is reattached by id, as before.
  assert.equal(unitJob(contextOf(ended({ exitCode: 1 })), 'fusion', 'eval-2').recordedId, '7:1');
});
