// Faults inside one process, with the synthetic lab: a full disk at the k-th write, a divergence in
// stage 2, a stage 1 where every trial fails, a finished run killed while writing its report, a
// resume racing a live holder. The real-process versions (kill -9, tmpfs) are in test/faults/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseEventLog } from '../../../src/contract/read-event-log';
import { resumeRun, startRun } from '../../../src/engine/pipeline/run';
import { failurePenalty } from '../../../src/engine/pipeline/search-stage';
import { foldReport } from '../../../src/engine/report/fold';
import { processStartTicks } from '../../../src/engine/store/process-identity';
import { useFileSystem } from '../../../src/train/durable-fs';
import { readSafetensors } from '../../../src/train/safetensors';
import { FullDiskFs } from '../../support/full-disk-fs';
import { completedWork, events, fullRun, ofType, workspace } from './pipeline-fixture';
import { SyntheticLab } from './synthetic-lab';

async function runOnFullDisk(layer: FullDiskFs) {
  const ws = workspace();
  const restore = useFileSystem(layer);
  try {
    return await startRun(ws.config, { labFactory: async () => new SyntheticLab() });
  } finally {
    restore();
  }
}

describe('a full disk', () => {
  // A synthetic run makes about 100 writes: config, log, checkpoints, fusion, baselines, report.
  for (const k of [3, 12, 30, 60, 90]) {
    test(`at write ${k}: the run fails saying so, nothing torn is recorded, and resume after freeing space gives the same results`, async () => {
      const reference = await fullRun();
      const outcome = await runOnFullDisk(new FullDiskFs(k));
      assert.equal(outcome.status, 'failed');
      // The first cause, not the report write that failed after it (the disk stays full).
      assert.match(outcome.error!.message, /the disk is full/);
      assert.doesNotMatch(outcome.error!.message, /report\.(md|json)/);
      assert.match(outcome.nextStep!, /free some space .*, then resume with: bomf resume /);
      const text = fs.readFileSync(path.join(outcome.runDir, 'events.jsonl'), 'utf8');
      assert.deepEqual(parseEventLog(text).badLines, [], 'no torn line in the middle of the log');
      // A short write never leaves a truncated file behind a checkpoint event (catches one unchecked writeSync).
      for (const c of ofType(parseEventLog(text).events, 'checkpoint')) {
        readSafetensors(path.join(outcome.runDir, c.file));
      }
      const resumed = await resumeRun(outcome.runDir, {
        labFactory: async () => new SyntheticLab(),
      });
      assert.equal(resumed.status, 'done', resumed.error?.message);
      assert.deepEqual(completedWork(events(outcome.runDir)), completedWork(reference.events));
      assert.ok(fs.existsSync(path.join(outcome.runDir, 'report.md')));
      assert.ok(!fs.existsSync(path.join(outcome.runDir, 'run.lock')));
    });
  }

  test('only the report cannot be written: the run is done, the error names the report, resume writes it', async () => {
    const outcome = await runOnFullDisk(new FullDiskFs(1, (f) => /report\.md/.test(f)));
    assert.equal(outcome.status, 'done');
    assert.match(outcome.error!.message, /report\.md: the disk is full/);
    assert.match(outcome.nextStep!, /write the report with: bomf resume /);
    const again = await resumeRun(outcome.runDir, { labFactory: async () => new SyntheticLab() });
    assert.equal(again.finishedBefore, true);
    assert.ok(fs.existsSync(path.join(outcome.runDir, 'report.md')));
  });
});

describe('failures that a resume cannot or need not repeat', () => {
  test('when every stage-1 trial fails, each trial still tries a new point', async () => {
    const { outcome, events: evs } = await fullRun({ failAboveLearningRate: 0 });
    assert.equal(outcome.status, 'done', outcome.error?.message);
    assert.ok(ofType(evs, 'trial-end').every((e) => e.status === 'failed'));
    // Catches failures dropped from the GP's data: the optimizer's state never changes and
    // every trial gets the first design point again.
    const tried = new Set(ofType(evs, 'trial-start').map((e) => JSON.stringify(e.params)));
    assert.equal(tried.size, 5);
  });

  test('a failed trial is observed below every successful one', () => {
    for (const ys of [[0.5, 0.9], [0.7], [-2, -1], [0, 0]]) {
      assert.ok(failurePenalty(ys) < Math.min(...ys), `${failurePenalty(ys)} vs ${ys}`);
    }
    assert.ok(Number.isFinite(failurePenalty([])));
  });

  test('a divergence in stage 2 fails clearly, without suggesting a resume that would diverge again', async () => {
    const { outcome, events: evs } = await fullRun({ divergeBeforeCheckpoint: 2 });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error!.message, /training loss is NaN/);
    assert.doesNotMatch(outcome.nextStep!, /bomf resume/);
    assert.match(outcome.nextStep!, /cannot be resumed.*learningRate.*maxGradNorm/);
    assert.ok(ofType(evs, 'error').some((e) => e.fatal && e.stage === 'train'));
  });
});

describe('resume', () => {
  test('a finished run killed while writing its report gets the report and loses its stale lock', async () => {
    const { outcome } = await fullRun();
    fs.rmSync(path.join(outcome.runDir, 'report.md'));
    fs.rmSync(path.join(outcome.runDir, 'report.json'));
    // An engine before this one wrote the bare pid; 4000000 is above any pid_max.
    fs.writeFileSync(path.join(outcome.runDir, 'run.lock'), '4000000');
    const lab = new SyntheticLab();
    const again = await resumeRun(outcome.runDir, { labFactory: async () => lab });
    assert.equal(again.status, 'done');
    assert.equal(again.finishedBefore, true);
    assert.equal(lab.calls.runTrial + lab.calls.evaluateMix, 0, 'nothing is recomputed');
    assert.ok(fs.existsSync(path.join(outcome.runDir, 'report.md')));
    assert.ok(fs.existsSync(path.join(outcome.runDir, 'report.json')));
    assert.ok(!fs.existsSync(path.join(outcome.runDir, 'run.lock')));
  });

  test('resume refuses a run held by a live process before it touches the log', async () => {
    const { outcome } = await fullRun();
    const log = path.join(outcome.runDir, 'events.jsonl');
    const text = fs.readFileSync(log, 'utf8').replace(/\n[^\n]*\n$/, '\n{"type":"run-e');
    fs.writeFileSync(log, text);
    fs.writeFileSync(
      path.join(outcome.runDir, 'run.lock'),
      JSON.stringify({ pid: process.pid, startTicks: processStartTicks(process.pid) }),
    );
    await assert.rejects(
      resumeRun(outcome.runDir, { labFactory: async () => new SyntheticLab() }),
      new RegExp(`being run by process ${process.pid}`),
    );
    // Catches a resume that cuts the torn tail (rewrites the log) before holding the lock.
    assert.equal(fs.readFileSync(log, 'utf8'), text);
  });

  test('a run folder whose recorded checkpoint is truncated says it cannot be resumed and why', async () => {
    const { outcome, events: evs } = await fullRun();
    const cut = evs.findIndex((e) => e.type === 'checkpoint' && e.index === 1);
    const log = path.join(outcome.runDir, 'events.jsonl');
    fs.writeFileSync(
      log,
      evs
        .slice(0, cut + 1)
        .map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
    const file = path.join(outcome.runDir, ofType(evs, 'checkpoint')[1]!.file);
    fs.truncateSync(file, fs.statSync(file).size - 3);
    await assert.rejects(
      resumeRun(outcome.runDir, { labFactory: async () => new SyntheticLab() }),
      /cannot be resumed: checkpoint 1 \(event \d+\) is unusable: .*truncated safetensors file.*start a new run/,
    );
    assert.ok(
      !fs.existsSync(path.join(outcome.runDir, 'run.lock')),
      'the refusal releases the lock',
    );
  });
});

test('steps redone after a resume are listed once in train.losses and train.evals', () => {
  const base = { seq: 0, time: '2026-01-01T00:00:00Z', stage: 'train' as const, epoch: 0 };
  const progress = (step: number, loss: number) =>
    ({ ...base, type: 'train-progress', step, totalSteps: 60, loss, learningRate: 1e-3 }) as const;
  const evaluation = (step: number) =>
    ({ ...base, type: 'train-eval', step, validation: { loss: step, metrics: {} } }) as const;
  // Killed after step 50 with the last checkpoint at 30: steps 40 and 50 are trained again.
  const report = foldReport(
    [
      ...[10, 20, 30, 40, 50].map((s) => progress(s, 1)),
      evaluation(30),
      evaluation(50),
      ...[40, 50, 60].map((s) => progress(s, 2)),
      evaluation(50),
    ].map((e, seq) => ({ ...e, seq })),
  );
  assert.deepEqual(
    report.train.losses.map((l) => [l.step, l.loss]),
    [
      [10, 1],
      [20, 1],
      [30, 1],
      [40, 2],
      [50, 2],
      [60, 2],
    ],
  );
  assert.deepEqual(
    report.train.evals.map((e) => e.step),
    [30, 50],
  );
});
