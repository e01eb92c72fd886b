// The command trainer (trainer.type: command) with a fake trainer that speaks the
// protocol in milliseconds (test/fixtures/command-trainer/fake-trainer.mjs):
// live metrics, every failure of docs/trainer-protocol.md with its message, and
// kill -9 of the driver during stages 1 and 2 followed by `bomf resume`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import { createLab } from '../../../src/engine/lab/create-lab';
import { resumeRun, startRun } from '../../../src/engine/pipeline/run';
import { bomf, ofType, runEvents } from '../../support/cli';
import { jobPid, killDriver, run, type Setup, setup } from '../../support/fake-trainer';

describe('command trainer', () => {
  test('a run with a fake trainer: trials move live, checkpoints are folders, stdout/stderr kept', async () => {
    // Catches: metrics.jsonl read only at the end (no live progress), checkpoints
    // recorded with the trainer's paths instead of the moved folders, splits mixed up.
    const s = setup({});
    const outcome = await run(s);
    assert.equal(outcome.status, 'done', outcome.error?.message);
    const evs = runEvents(outcome.runDir);
    // Live tail: the metrics.jsonl steps of each trial arrive as progress events.
    const progress = ofType(evs, 'train-progress').filter((e) => e.trial === 0);
    assert.deepEqual(
      progress.map((e) => [e.step, e.totalSteps]),
      [1, 2, 3, 4, 5].map((step) => [step, 5]),
    );
    assert.equal(ofType(evs, 'train-eval').filter((e) => e.trial === 0).length, 1);
    const ckpts = ofType(evs, 'checkpoint');
    assert.deepEqual(
      ckpts.map((c) => [c.index, c.step, c.file]),
      [0, 1, 2].map((i) => [i, 4 + i, path.join('checkpoints', `ckpt-0${i}`)]),
    );
    for (const c of ckpts) {
      assert.ok(fs.existsSync(path.join(outcome.runDir, c.file, 'model.safetensors')), c.file);
    }
    const trialDir = path.join(outcome.runDir, 'trials', 'trial-0');
    for (const f of ['params.json', 'stdout.log', 'stderr.log', 'metrics.jsonl', 'metrics.json']) {
      assert.ok(fs.existsSync(path.join(trialDir, f)), `trial-0/${f}`);
    }
    const params = JSON.parse(fs.readFileSync(path.join(trialDir, 'params.json'), 'utf8'));
    const start = ofType(evs, 'trial-start')[0]!;
    assert.equal(params.hyperparameters.learningRate, start.params.learningRate);
    assert.equal(fs.readFileSync(params.data.validation, 'utf8').trim().split('\n').length, 20);
    // The fused model is exported with the members' names, and its test score is the
    // fake evaluate's score of w + (0.01, 0): a mix-up of splits or weights shows.
    const sel = ofType(evs, 'selection')[0]!;
    assert.ok(fs.existsSync(path.join(outcome.runDir, 'fused', 'model.safetensors')));
    assert.ok(sel.test && Math.abs(sel.test.loss - sel.validation.loss) > 1e-6);
    assert.equal(s.starts().filter((l) => l.startsWith('trial')).length, 3);
  });

  test('each failure of a trial is recorded with its message and the run goes on', async () => {
    // Catches: a non-zero exit taken as success, NaN from Python's json read as a parse
    // error or as a value, a failed trial ending the run, the stderr tail dropped.
    const s = setup(
      { FAKE_FAIL: '0:exit,1:missing,2:malformed,3:nan,4:badline' },
      {
        budget: 6,
        initial: 6,
      },
    );
    const outcome = await run(s);
    assert.equal(outcome.status, 'done', outcome.error?.message);
    const ends = ofType(runEvents(outcome.runDir), 'trial-end');
    const failed = (n: number) => ends.find((e) => e.trial === n)!;
    assert.match(failed(0).error!, /trial command .* exited with code 3/);
    assert.match(failed(0).stderrTail!, /RuntimeError: CUDA out of memory/);
    assert.match(failed(1).error!, /wrote no metrics\.json/);
    assert.match(failed(2).error!, /metrics\.json: not valid JSON/);
    assert.match(failed(3).error!, /objective 'accuracy' in metrics\.json is NaN/);
    assert.match(failed(4).error!, /metrics\.jsonl:3: not valid JSON/);
    for (const n of [0, 1, 2, 3, 4]) assert.equal(failed(n).status, 'failed', `trial ${n}`);
    assert.equal(failed(5).status, 'done');
  });

  test('a trial that exits 75 (EX_TEMPFAIL) stops the run, is not recorded as failed, and reruns on resume', async () => {
    // Catches: exit 75 recorded as a failed trial (the search would learn a temporary failure as
    // a bad hyperparameter), the run going on without it, a resume that reattaches to the ended
    // job instead of rerunning it, or a hint that talks about the disk.
    const s = setup({ FAKE_FAIL: '1:tempfail-once' });
    const outcome = await run(s);
    assert.equal(outcome.status, 'failed');
    const evs = runEvents(outcome.runDir);
    const error = ofType(evs, 'error').find((e) => e.fatal)!;
    assert.equal(error.stage, 'search');
    assert.match(error.message, /trial command .* exited with code 75 \(EX_TEMPFAIL\)/);
    assert.match(error.stderrTail!, /CUDA-capable devices are busy/);
    assert.equal(
      ofType(evs, 'trial-end').filter((e) => e.trial === 1).length,
      0,
      'trial 1 has no end: it did not fail, the run did',
    );
    assert.match(
      outcome.nextStep ?? '',
      /fix what the command's stderr says .*trial-1.*then resume with: bomf resume/,
    );
    const resumed = await resumeRun(outcome.runDir, { labFactory: createLab });
    assert.equal(resumed.status, 'done', resumed.error?.message);
    const ends = ofType(runEvents(outcome.runDir), 'trial-end');
    assert.deepEqual(ends.map((e) => [e.trial, e.status]).sort(), [
      [0, 'done'],
      [1, 'done'],
      [2, 'done'],
    ]);
    const trialStarts = s.starts().filter((l) => l.startsWith('trial'));
    assert.deepEqual(trialStarts, ['trial 0 -', 'trial 1 -', 'trial 1 -', 'trial 2 -']);
  });

  test('a stage-2 failure stops the run with its stderr tail; resume continues after the last checkpoint', async () => {
    // Catches: a failed job's exit code reattached on resume (the run could never
    // recover), or a rerun of stage 2 from scratch instead of from its last checkpoint.
    const s = setup({ FAKE_TRAIN_FAIL_ONCE: 'after-first-checkpoint' });
    const outcome = await run(s);
    assert.equal(outcome.status, 'failed');
    const error = ofType(runEvents(outcome.runDir), 'error').find((e) => e.fatal)!;
    assert.equal(error.stage, 'train');
    assert.match(error.message, /train command .* exited with code 1/);
    assert.match(error.stderrTail!, /No space left on device/);
    const resumed = await resumeRun(outcome.runDir, { labFactory: createLab });
    assert.equal(resumed.status, 'done', resumed.error?.message);
    const evs = runEvents(outcome.runDir);
    assert.deepEqual(
      ofType(evs, 'checkpoint').map((c) => c.index),
      [0, 1, 2],
    );
    // The second start continued after the recorded checkpoint (step 4), no trial reran.
    assert.deepEqual(
      s.starts().filter((l) => !l.startsWith('evaluate')),
      ['trial 0 -', 'trial 1 -', 'trial 2 -', 'train - -', 'train - 4'],
    );
  });
});

test('stop cancels the running command (its process group ends) and resume runs that trial afresh', async () => {
  // Catches: a stop that leaves the trainer running, or one whose cancelled job a
  // resume would reattach to and record as failed.
  const s = setup({ FAKE_STEP_MS: '150' });
  const controller = new AbortController();
  let pid: number | undefined;
  const outcome = await startRun(s.config, {
    labFactory: createLab,
    outDir: path.join(s.dir, 'runs'),
    signal: controller.signal,
    onLog: (log) =>
      log.onEvent((e) => {
        if (pid !== undefined || e.type !== 'train-progress' || e.trial !== 1) return;
        const runDir = (log.history[0] as Extract<BomfEvent, { type: 'run-start' }>).runDir;
        pid = jobPid(path.join(runDir, 'trials', 'trial-1'));
        controller.abort();
      }),
  });
  assert.equal(outcome.status, 'stopped');
  assert.throws(() => process.kill(-pid!, 0), /ESRCH/, 'the trainer outlived the stop');
  const resumed = await resumeRun(outcome.runDir, { labFactory: createLab });
  assert.equal(resumed.status, 'done', resumed.error?.message);
  assert.deepEqual(
    ofType(runEvents(outcome.runDir), 'trial-end').map((e) => [e.trial, e.status]),
    [
      [0, 'done'],
      [1, 'done'],
      [2, 'done'],
    ],
  );
  assert.equal(s.starts().filter((l) => l === 'trial 1 -').length, 2);
});

describe('kill -9 of the driver, then bomf resume (built CLI)', () => {
  const slow = { FAKE_STEP_MS: '150' };
  const trialEnds = (evs: BomfEvent[]) => ofType(evs, 'trial-end').map((e) => e.trial);
  /** Kills the driver once stage 1's trial 1 has started, and that trial's trainer too if asked. */
  const killAtTrial1 = (s: Setup, killTrial: boolean) =>
    killDriver(
      s,
      (e) => e.type === 'trial-start' && e.trial === 1,
      (d) => path.join(d, 'trials', 'trial-1'),
      killTrial,
    );

  test('stage 1, the trial killed too: it reruns, finished ones do not', async () => {
    // Catches: a finished trial rerun on resume, or a dead one recorded as failed.
    const s = setup(slow);
    const runDir = await killAtTrial1(s, true);
    const r = bomf(['resume', runDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(trialEnds(runEvents(runDir)), [0, 1, 2]);
    const trials = s.starts().filter((l) => l.startsWith('trial'));
    assert.deepEqual(trials, ['trial 0 -', 'trial 1 -', 'trial 1 -', 'trial 2 -']);
  });

  test('stage 1, the trial still running: resume reattaches instead of starting it twice', async () => {
    // Catches: a second copy of a live trainer started beside the first.
    const s = setup(slow);
    const runDir = await killAtTrial1(s, false);
    const r = bomf(['resume', runDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(trialEnds(runEvents(runDir)), [0, 1, 2]);
    assert.equal(s.starts().filter((l) => l.startsWith('trial 1')).length, 1);
  });

  test('stage 1, killed before the job id was recorded: resume finds the live trial by its folder', async () => {
    // Catches: the window between starting a command and writing its job.json — a resume that
    // cleared the folder of the live trainer and started a second one beside it.
    const s = setup(slow);
    const runDir = await killAtTrial1(s, false);
    fs.rmSync(path.join(runDir, 'trials', 'trial-1', 'job.json'));
    const r = bomf(['resume', runDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(trialEnds(runEvents(runDir)), [0, 1, 2]);
    assert.equal(s.starts().filter((l) => l.startsWith('trial 1')).length, 1);
  });

  test('stage 2, the fine-tune killed too: it reruns from the last recorded checkpoint', async () => {
    // Catches: checkpoints recorded twice or lost, resumeFromStep off by a checkpoint.
    const s = setup(slow);
    const runDir = await killDriver(
      s,
      (e) => e.type === 'checkpoint' && e.index === 0,
      (d) => path.join(d, 'train'),
      true,
    );
    const recorded = ofType(runEvents(runDir), 'checkpoint');
    const r = bomf(['resume', runDir]);
    assert.equal(r.status, 0, r.stderr);
    const evs = runEvents(runDir);
    assert.deepEqual(trialEnds(evs), [0, 1, 2]);
    assert.deepEqual(
      ofType(evs, 'checkpoint').map((c) => [c.index, c.step]),
      [
        [0, 4],
        [1, 5],
        [2, 6],
      ],
    );
    const trains = s.starts().filter((l) => l.startsWith('train'));
    assert.deepEqual(trains, ['train - -', `train - ${recorded[recorded.length - 1]!.step}`]);
    assert.equal(s.starts().filter((l) => l.startsWith('trial')).length, 3);
  });
});
