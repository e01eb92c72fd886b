import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latestHypervolume } from '../../../src/contract/fold';
import {
  bestMetric,
  emptyRunModel,
  foldEvents,
  runName,
  runProgress,
  runState,
} from '../../../src/extension/runs/run-model';
import { finishedRun, sequence } from './events-fixture';

const RUN_DIR = '/home/user/project/runs/sst2-bomf-20261120-100000';

describe('run model fold', () => {
  it('should summarize a finished run: stages, trials, fusion front, selection, baselines', () => {
    const events = finishedRun();
    const model = foldEvents(emptyRunModel(RUN_DIR), events);
    assert.match(runName(model), /^sst2-bomf #[0-9a-f]{6} · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(model.status, 'done');
    assert.deepEqual(
      Object.values(model.stages).map((s) => s.status),
      ['done', 'done', 'done', 'done'],
    );
    assert.equal(runProgress(model), 1);
    const trialEnds = events.filter((e) => e.type === 'trial-end');
    assert.equal(model.trials.size, trialEnds.length);
    assert.deepEqual(
      [...model.trials.values()].map((t) => t.status),
      trialEnds.map((e) => (e.type === 'trial-end' ? e.status : '')),
    );
    const fusionEvals = events.filter((e) => e.type === 'fusion-eval');
    assert.equal(model.fusionEvals.size, fusionEvals.length);
    const lastFront = events.filter((e) => e.type === 'pareto-update').pop();
    assert.ok(lastFront?.type === 'pareto-update');
    assert.deepEqual(
      [...model.front].sort((a, b) => a - b),
      [...lastFront.front].sort((a, b) => a - b),
    );
    assert.equal(latestHypervolume(model), lastFront.hypervolume);
    const selection = events.find((e) => e.type === 'selection');
    assert.ok(selection?.type === 'selection');
    assert.equal(model.selection?.index, selection.index);
    const baselineNames = events.flatMap((e) => (e.type === 'baseline' ? [e.name] : []));
    assert.deepEqual([...model.baselines.keys()].sort(), [...new Set(baselineNames)].sort());
    const best = bestMetric(model);
    assert.equal(best?.value, selection.validation.metrics[model.metricName ?? '']);
  });

  it('should give the same model folded in chunks, with overlapping chunks skipped by seq', () => {
    const events = finishedRun();
    const whole = foldEvents(emptyRunModel(RUN_DIR), events);
    const chunked = emptyRunModel(RUN_DIR);
    for (let i = 0; i < events.length; i += 7)
      foldEvents(chunked, events.slice(Math.max(0, i - 3), i + 7));
    assert.deepEqual(chunked, whole);
  });

  it('should report progress of the running stage and the best trial before selection', () => {
    const model = foldEvents(
      emptyRunModel('/r'),
      sequence([
        {
          type: 'run-start',
          name: 'x',
          configFile: '/c.bomf.yaml',
          runDir: '/r',
          pid: 1,
          resumed: false,
        },
        { type: 'stage-start', stage: 'search', total: 4 },
        { type: 'trial-start', trial: 0, params: { learningRate: 1e-4 }, source: 'initial' },
        {
          type: 'train-eval',
          stage: 'search',
          trial: 0,
          step: 5,
          epoch: 1,
          validation: { loss: 1, metrics: { f1: 0.5 } },
        },
        { type: 'trial-end', trial: 0, status: 'done', objective: 0.62, seconds: 1 },
        { type: 'trial-start', trial: 1, params: { learningRate: 1e-3 }, source: 'initial' },
        { type: 'trial-end', trial: 1, status: 'done', objective: 0.71, seconds: 1 },
      ]),
    );
    assert.equal(model.currentStage, 'search');
    assert.equal(model.stages.search.completed, 2);
    // One of four stages, half done.
    assert.equal(runProgress(model), 0.5 / 4);
    assert.deepEqual(bestMetric(model), { label: 'best trial f1', value: 0.71 });
  });

  it('should call a log without run-end interrupted when its engine is gone, running when alive', () => {
    const model = foldEvents(
      emptyRunModel('/r'),
      sequence([{ type: 'run-start', name: 'x', runDir: '/r', pid: 1 }]),
    );
    assert.equal(runState(model, true), 'running');
    assert.equal(runState(model, false), 'interrupted');
  });

  it('should make a stopped run live again when a resume appends a new run-start', () => {
    const model = foldEvents(
      emptyRunModel('/r'),
      sequence([
        { type: 'run-start', name: 'x', runDir: '/r', pid: 1 },
        { type: 'run-end', status: 'stopped', seconds: 3 },
        { type: 'run-start', name: 'x', runDir: '/r', pid: 2, resumed: true },
      ]),
    );
    assert.equal(runState(model, false), 'interrupted');
    assert.equal(runState(model, true), 'running');
    assert.equal(model.start?.pid, 2);
    foldEvents(model, sequence([{ type: 'run-end', status: 'done', seconds: 9 }], 3));
    assert.equal(runState(model, false), 'done');
  });
});
