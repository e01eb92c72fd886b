// The command trainer with executor.slots = 2: stage-1 trials and stage-3 evaluations
// of the fake trainer (test/fixtures/command-trainer/fake-trainer.mjs) run two at a
// time, each with its own results and live metrics, and a resume after kill -9 keeps
// its promises (finished trial not rerun, killed one rerun, running one reattached).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { bomf, ofType, runEvents } from '../../support/cli';
import { killDriver, maxOverlap, run, type Span, setup } from '../../support/fake-trainer';

/** The fake trainer's objective for a learning rate (fake-trainer.mjs, trial). */
const fakeObjective = (lr: number) => 1 / (1 + Math.log10(lr / 1e-3) ** 2);

/** The F32 tensor `w` of a fake checkpoint folder. */
function readW(dir: string): number[] {
  const buf = fs.readFileSync(path.join(dir, 'model.safetensors'));
  const n = Number(buf.readBigUInt64LE(0));
  const [a, b] = JSON.parse(buf.subarray(8, 8 + n).toString()).w.data_offsets as number[];
  const bytes = buf.subarray(8 + n + a!, 8 + n + b!);
  return Array.from(
    new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
  );
}

const ofRole = (spans: Span[], role: string, what?: string) =>
  spans.filter((s) => s.role === role && (what === undefined || s.what === what));

const slots2 = { slots: 2, fusionBudget: 4 };

describe('command trainer in slots', () => {
  test('trials and fusion evaluations run two at a time, each recorded with its own result', async () => {
    // Catches: a lab without slots (trials one at a time), a third command started beside
    // two running ones, results or live progress of concurrent trials crossed (shared state
    // in the lab), two evaluations fusing into one model folder, job events not reported.
    const s = setup({ FAKE_STEP_MS: '60', FAKE_EVAL_MS: '400' }, { budget: 4, initial: 2 }, slots2);
    const outcome = await run(s);
    assert.equal(outcome.status, 'done', outcome.error?.message);
    const evs = runEvents(outcome.runDir);

    const trials = ofRole(s.spans(), 'trial');
    assert.equal(trials.length, 4);
    assert.equal(maxOverlap(trials), 2, JSON.stringify(trials));
    const starts = ofType(evs, 'trial-start');
    for (const end of ofType(evs, 'trial-end')) {
      const lr = starts.find((t) => t.trial === end.trial)!.params.learningRate!;
      assert.equal(end.status, 'done');
      assert.ok(Math.abs(end.objective! - fakeObjective(lr)) < 1e-12, `trial ${end.trial}`);
      const steps = ofType(evs, 'train-progress').filter((p) => p.trial === end.trial);
      assert.deepEqual(
        steps.map((p) => [p.step, p.learningRate]),
        [1, 2, 3, 4, 5].map((step) => [step, lr]),
        `live progress of trial ${end.trial}`,
      );
      const jobs = ofType(evs, 'job').filter((j) => j.unit === `trial-${end.trial}`);
      assert.deepEqual(
        jobs.map((j) => j.state),
        ['queued', 'running', 'ended'],
      );
      assert.equal(jobs.at(-1)!.exitCode, 0);
    }

    // Searched candidates: each scored by the fake's evaluate on its own fused model.
    const evaluations = ofRole(s.spans(), 'evaluate', 'validation');
    assert.equal(maxOverlap(evaluations), 2, JSON.stringify(evaluations));
    const members = ofType(evs, 'checkpoint').map((c) => readW(path.join(outcome.runDir, c.file)));
    const searched = ofType(evs, 'fusion-eval').filter((e) => e.candidate !== undefined);
    assert.equal(searched.length, 4);
    for (const e of searched) {
      const w = [0, 1].map((i) => e.weights.reduce((acc, wk, k) => acc + wk * members[k]![i]!, 0));
      const loss = (w[0]! - 1) ** 2 + (w[1]! - 2) ** 2;
      assert.ok(Math.abs(e.validation.loss - loss) < 1e-5, `candidate ${e.candidate}`);
    }
  });

  test('kill -9 with two trials running, then resume: the killed one reruns, the other is reattached (built CLI)', async () => {
    // Catches: a trial still running (or finished while nobody watched) started again on
    // resume, a killed one recorded as failed instead of rerun, a finished one rerun.
    const s = setup({ FAKE_STEP_MS: '250' }, { budget: 4, initial: 2 }, slots2);
    const runDir = await killDriver(
      s,
      (e) => e.type === 'trial-start' && e.trial === 1,
      (d) => path.join(d, 'trials', 'trial-1'),
      true,
    );
    const r = bomf(['resume', runDir]);
    assert.equal(r.status, 0, r.stderr);
    const evs = runEvents(runDir);
    assert.deepEqual(
      ofType(evs, 'trial-end')
        .map((e) => [e.trial, e.status])
        .sort(),
      [0, 1, 2, 3].map((t) => [t, 'done']),
    );
    const trialStarts = s.starts().filter((l) => l.startsWith('trial'));
    assert.deepEqual(
      [0, 1, 2, 3].map((t) => trialStarts.filter((l) => l === `trial ${t} -`).length),
      [1, 2, 1, 1],
    );
    const trial0 = ofType(evs, 'job').filter((j) => j.unit === 'trial-0' && j.state === 'queued');
    assert.deepEqual(
      trial0.map((j) => j.reattached ?? false),
      [false, true],
    );
  });
});
