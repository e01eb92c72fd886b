import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { paretoFront } from '../../../src/bo';
import type { BomfEvent } from '../../../src/contract/events';
import { isSearchEvaluation } from '../../../src/contract/fusion-events';
import { resumeRun, startRun } from '../../../src/engine/pipeline/run';
import { metricStandardError } from '../../../src/engine/pipeline/selection';
import { CONFIG, completedWork, events, fullRun, ofType, workspace } from './pipeline-fixture';
import { SyntheticLab } from './synthetic-lab';

describe('pipeline (synthetic lab)', () => {
  test('a run produces every file of the run folder and a consistent event log', async () => {
    const { outcome, events: evs } = await fullRun();
    assert.equal(outcome.status, 'done', outcome.error?.message);
    for (const f of [
      'config.resolved.yaml',
      'events.jsonl',
      'report.json',
      'report.md',
      'fused/model.safetensors',
    ]) {
      assert.ok(fs.existsSync(path.join(outcome.runDir, f)), `${f} missing`);
    }
    assert.equal(
      fs
        .readdirSync(path.join(outcome.runDir, 'checkpoints'))
        .filter((f) => f.endsWith('.safetensors')).length,
      5,
    );
    assert.deepEqual(
      evs.map((e) => e.seq),
      evs.map((_, i) => i),
    );
    assert.equal(evs[0]!.type, 'run-start');
    assert.equal(evs.at(-1)!.type, 'run-end');
    assert.equal(ofType(evs, 'trial-end').length, 5);
    const fusion = ofType(evs, 'fusion-eval');
    assert.equal(fusion.filter(isSearchEvaluation).length, 9);
    // The checkpoints enter stage 3 first, as the simplex's vertices, with their stage-2 results.
    assert.deepEqual(
      fusion.filter((e) => e.source === 'member').map((e) => e.weights.indexOf(1)),
      [0, 1, 2, 3, 4],
    );
    assert.deepEqual(
      fusion.slice(0, 5).map((e) => e.validation),
      ofType(evs, 'checkpoint').map((c) => c.validation),
    );
    assert.ok(!fs.existsSync(path.join(outcome.runDir, 'run.lock')), 'the lock is released');
    const searchStart = ofType(evs, 'stage-start').find((e) => e.stage === 'search')!;
    assert.deepEqual(searchStart.space, [
      { name: 'learningRate', type: 'float', low: 1e-5, high: 1e-3, log: true },
      { name: 'batchSize', type: 'int', low: 8, high: 64, log: false },
    ]);
  });

  test('the Pareto front is mutually non-dominated and the selected model is on it', async () => {
    const { events: evs } = await fullRun();
    const fusion = ofType(evs, 'fusion-eval');
    const front = ofType(evs, 'pareto-update').at(-1)!.front;
    const ys = front.map((i) => fusion.find((e) => e.index === i)!.objectives);
    const dominates = (a: number[], b: number[]) =>
      a.every((v, i) => v >= b[i]!) && a.some((v, i) => v > b[i]!);
    for (const a of ys) for (const b of ys) assert.ok(!dominates(a, b), `${a} dominates ${b}`);
    for (const e of fusion) {
      if (front.includes(e.index)) continue;
      assert.ok(
        ys.some((y) => dominates(y, e.objectives) || y.every((v, i) => v === e.objectives[i])),
        `evaluation ${e.index} is off the front but not dominated`,
      );
    }
    const selection = ofType(evs, 'selection')[0]!;
    assert.ok(front.includes(selection.index));
    // The default rule, one-se: within one standard error (200 validation examples) of the
    // best front accuracy, and no point in that band has a lower loss.
    const onFront = front.map((i) => fusion.find((e) => e.index === i)!.validation);
    const best = Math.max(...onFront.map((v) => v.metrics.accuracy!));
    const floor = best - metricStandardError('accuracy', best, 200);
    assert.equal(selection.rule, 'one-se');
    assert.ok(selection.validation.metrics.accuracy! >= floor);
    const band = onFront.filter((v) => v.metrics.accuracy! >= floor);
    assert.equal(selection.validation.loss, Math.min(...band.map((v) => v.loss)));
    const hv = ofType(evs, 'pareto-update').map((e) => e.hypervolume);
    for (let i = 1; i < hv.length; i++)
      assert.ok(hv[i]! >= hv[i - 1]! - 1e-12, 'hypervolume never decreases');
  });

  test('baselines are present, on validation and test, with the greedy soup explained', async () => {
    const { events: evs } = await fullRun();
    const names = ofType(evs, 'baseline').map((b) => b.name);
    assert.deepEqual(names.sort(), [
      'best-single',
      'bomf',
      'greedy-soup',
      'last',
      'sobo-loss',
      'sobo-metric',
      'swa',
    ]);
    for (const b of ofType(evs, 'baseline')) {
      assert.ok(b.test, `${b.name} has no test result`);
      assert.ok(Math.abs(b.weights.reduce((s, w) => s + w, 0) - 1) < 1e-9);
    }
    const soup = ofType(evs, 'baseline').find((b) => b.name === 'greedy-soup')!;
    assert.equal(soup.notes!.length, 5);
    assert.match(soup.notes![0]!, /^start with checkpoint \d/);
    const swa = ofType(evs, 'baseline').find((b) => b.name === 'swa')!;
    assert.deepEqual(swa.weights, [0.2, 0.2, 0.2, 0.2, 0.2]);
  });

  // Catches baselines evaluated after the search instead of entering it (SWA or the soup could
  // then dominate the front), a stage 4 that re-evaluates models stage 3 already scored, and a
  // search that spends evaluations on weights it already has.
  test('baselines enter stage 3 as observations: the front dominates or equals them, nothing is evaluated twice', async () => {
    const { lab, events: evs } = await fullRun();
    const fusion = ofType(evs, 'fusion-eval');
    const baselines = ofType(evs, 'baseline');
    const firstSearch = fusion.findIndex(isSearchEvaluation);
    assert.ok(
      fusion.slice(0, firstSearch).some((e) => e.source === 'baseline' && e.baseline === 'swa'),
      'SWA is observed before the search',
    );
    const front = paretoFront(fusion.map((e) => e.objectives)).map((i) => fusion[i]!);
    const orient = (v: { loss: number; metrics: Record<string, number> }) => [
      -v.loss,
      v.metrics.accuracy!,
    ];
    for (const name of ['best-single', 'last', 'swa', 'greedy-soup'] as const) {
      const b = orient(baselines.find((e) => e.name === name)!.validation);
      assert.ok(
        front.some((f) => orient(f.validation).every((v, j) => v >= b[j]!)),
        `${name} is not dominated-or-equalled by the validation front`,
      );
      assert.ok(baselines.find((e) => e.name === name)!.fusionEval !== undefined, name);
    }
    fusion.forEach((e, i) => {
      for (const prior of fusion.slice(0, i)) {
        const gap = Math.max(...e.weights.map((w, k) => Math.abs(w - prior.weights[k]!)));
        assert.ok(gap > 1e-3, `fusion-eval ${e.index} repeats ${prior.index} (gap ${gap})`);
      }
    });
    // Validation: each stage-3 model once (members are free) plus the single-objective BOs'
    // own models; test: once per distinct set of weights among the baselines.
    const soboValidation = ofType(evs, 'baseline-eval').length;
    const distinctTest = new Set(baselines.map((b) => JSON.stringify(b.weights))).size;
    const memberCount = fusion.filter((e) => e.source === 'member').length;
    assert.equal(
      lab.calls.evaluateMix,
      fusion.length - memberCount + soboValidation + distinctTest,
    );
  });

  test('failed trials are recorded as failed and do not stop the run', async () => {
    const { outcome, events: evs } = await fullRun({ failAboveLearningRate: 1e-4 });
    assert.equal(outcome.status, 'done');
    const failed = ofType(evs, 'trial-end').filter((e) => e.status === 'failed');
    assert.ok(failed.length > 0, 'some trial should have failed');
    assert.match(failed[0]!.error!, /NaN/);
    assert.ok(ofType(evs, 'error').some((e) => !e.fatal && /failed/.test(e.message)));
  });

  test('the report folds the events: trials, checkpoints, Pareto front, baselines', async () => {
    const { outcome, events: evs } = await fullRun();
    const report = JSON.parse(fs.readFileSync(path.join(outcome.runDir, 'report.json'), 'utf8'));
    assert.equal(report.status, 'done');
    assert.equal(report.search.trials.length, 5);
    assert.equal(report.train.checkpoints.length, 5);
    assert.equal(report.fusion.evaluations.length, ofType(evs, 'fusion-eval').length);
    assert.equal(
      report.fusion.evaluations.filter((e: { source: string }) =>
        isSearchEvaluation({ source: e.source as 'bo' }),
      ).length,
      9,
    );
    assert.ok(report.fusion.pareto.includes(report.fusion.selected.index));
    // Significance: one paired comparison per baseline; per-example arrays stay in the log.
    assert.deepEqual(report.significance.map((c: { baseline: string }) => c.baseline).sort(), [
      'best-single',
      'greedy-soup',
      'last',
      'sobo-loss',
      'sobo-metric',
      'swa',
    ]);
    for (const c of report.significance) {
      assert.ok(['bomf-better', 'baseline-better', 'noise', 'identical'].includes(c.verdict));
      assert.ok(c.metricDifference.low <= c.metricDifference.high);
    }
    assert.ok(report.baselines.every((b: { test: object }) => !('examples' in b.test)));
    const md = fs.readFileSync(path.join(outcome.runDir, 'report.md'), 'utf8');
    assert.match(md, /\| greedy-soup \|/);
    assert.match(md, /### BOMF against each baseline on test/);
    assert.match(md, /Best on test — loss: /);
    assert.match(md, /## Greedy soup decisions/);
  });
});

describe('resume', () => {
  /**
   * Simulates `kill -9` right after event `cut`: the folder keeps the events up
   * to it (plus a torn half line) and whatever files were written by then.
   */
  function killedCopy(runDir: string, evs: BomfEvent[], cut: number): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-killed-'));
    fs.cpSync(runDir, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'fused'), { recursive: true, force: true });
    fs.rmSync(path.join(copy, 'report.json'));
    const kept = evs.slice(0, cut + 1);
    const checkpointsKept = new Set(ofType(kept, 'checkpoint').map((e) => path.basename(e.file)));
    for (const f of fs.readdirSync(path.join(copy, 'checkpoints'))) {
      if (!checkpointsKept.has(f)) fs.rmSync(path.join(copy, 'checkpoints', f));
    }
    const text = kept.map((e) => `${JSON.stringify(e)}\n`).join('');
    fs.writeFileSync(path.join(copy, 'events.jsonl'), `${text}{"type":"fusion-ev`);
    return copy;
  }

  const cutPoints: [string, (evs: BomfEvent[]) => number][] = [
    [
      'during stage 1 (a trial started, not finished)',
      (evs) => evs.findIndex((e) => e.type === 'trial-start' && e.trial === 3),
    ],
    [
      'between checkpoints',
      (evs) => evs.findIndex((e) => e.type === 'checkpoint' && e.index === 2),
    ],
    ['mid-fusion', (evs) => evs.findIndex((e) => e.type === 'fusion-eval' && e.index === 6)],
    ['mid-baselines', (evs) => evs.findIndex((e) => e.type === 'baseline' && e.name === 'swa')],
    // A kill between an evaluation and its pareto-update: the update must be written on resume,
    // also after the members (written as one batch) and after the last batch (no loop runs then).
    [
      'between the members and their pareto-update',
      (evs) => evs.findIndex((e) => e.type === 'fusion-eval' && e.index === 4),
    ],
    [
      'between a searched fusion-eval and its pareto-update',
      (evs) => evs.findIndex((e) => e.type === 'fusion-eval' && e.index === 13),
    ],
    [
      'between the last fusion-eval and its pareto-update',
      (evs) => evs.map((e) => e.type).lastIndexOf('fusion-eval'),
    ],
  ];

  for (const [label, where] of cutPoints) {
    test(`a run killed ${label} resumes to the same completed evaluations without redoing finished work`, async () => {
      const reference = await fullRun();
      const cut = where(reference.events);
      assert.ok(cut > 0);
      const killed = killedCopy(reference.outcome.runDir, reference.events, cut);
      const before = events(killed);
      const lab = new SyntheticLab();
      const outcome = await resumeRun(killed, { labFactory: async () => lab });
      assert.equal(outcome.status, 'done', outcome.error?.message);
      const after = events(killed);
      assert.deepEqual(completedWork(after), completedWork(reference.events));
      // Work finished before the kill was not done again.
      const trialsDone = ofType(before, 'trial-end').length;
      assert.equal(lab.calls.runTrial, 5 - trialsDone);
      assert.equal(lab.calls.fineTuneCheckpoints, 5 - ofType(before, 'checkpoint').length);
      assert.ok(ofType(after, 'run-start').at(-1)!.resumed);
      assert.deepEqual(
        after.map((e) => e.seq),
        after.map((_, i) => i),
        'seq stays monotonic across the resume',
      );
    });
  }

  test('a run killed inside a fusion batch (fusion.batch 3) finishes that batch as suggested, then goes on identically', async () => {
    const config = CONFIG.replace('  budget: 9\n', '  budget: 9\n  batch: 3\n');
    const reference = await fullRun({}, config);
    // Member evaluations 0-4, then batches 5-7, 8-10, 11-13: cut after 9, one into the second batch.
    const cut = reference.events.findIndex((e) => e.type === 'fusion-eval' && e.index === 9);
    const killed = killedCopy(reference.outcome.runDir, reference.events, cut);
    const lab = new SyntheticLab();
    const outcome = await resumeRun(killed, { labFactory: async () => lab });
    assert.equal(outcome.status, 'done', outcome.error?.message);
    assert.deepEqual(completedWork(events(killed)), completedWork(reference.events));
  });

  test('resuming a finished run does nothing', async () => {
    const { outcome } = await fullRun();
    const lab = new SyntheticLab();
    const again = await resumeRun(outcome.runDir, { labFactory: async () => lab });
    assert.equal(again.status, 'done');
    assert.deepEqual(lab.calls, {
      runTrial: 0,
      fineTuneCheckpoints: 0,
      evaluateMix: 0,
      exportMix: 0,
    });
  });

  test('a stop signal ends the run as stopped, and resume finishes it', async () => {
    const ws = workspace();
    const controller = new AbortController();
    let fusionEvals = 0;
    const outcome = await startRun(ws.config, {
      labFactory: async () => new SyntheticLab(),
      signal: controller.signal,
      onLog: (log) =>
        log.onEvent((e) => {
          if (e.type === 'fusion-eval' && isSearchEvaluation(e) && ++fusionEvals === 3)
            controller.abort();
        }),
    });
    assert.equal(outcome.status, 'stopped');
    const stopped = events(outcome.runDir);
    assert.deepEqual(stopped.at(-1), { ...stopped.at(-1)!, type: 'run-end', status: 'stopped' });
    assert.equal(ofType(stopped, 'fusion-eval').filter(isSearchEvaluation).length, 3);
    const resumed = await resumeRun(outcome.runDir, { labFactory: async () => new SyntheticLab() });
    assert.equal(resumed.status, 'done');
    assert.equal(
      ofType(events(outcome.runDir), 'fusion-eval').filter(isSearchEvaluation).length,
      9,
    );
  });

  test('two runs of one config never share a folder', async () => {
    const ws = workspace();
    const [a, b] = await Promise.all([
      startRun(ws.config, { labFactory: async () => new SyntheticLab() }),
      startRun(ws.config, { labFactory: async () => new SyntheticLab() }),
    ]);
    assert.notEqual(a.runDir, b.runDir);
    assert.equal(a.status, 'done');
    assert.equal(b.status, 'done');
  });
});
