// The one fold of the event log, against the log the engine writes (the regenerated fixture)
// and against the cases where the three former folds disagreed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BomfEvent, EVENT_SCHEMA_VERSION, STAGES } from '../../../src/contract/events';
import { emptyRunFold, foldEvents, foldLog, latestHypervolume } from '../../../src/contract/fold';
import { foldReport } from '../../../src/engine/report/fold';
import {
  emptyRunModel,
  foldEvents as foldModel,
  runState,
} from '../../../src/extension/runs/run-model';
import { childKeys, type TreeSource } from '../../../src/extension/tree/tree-model';
import { trialHistory } from '../../../src/webview/model/trials';
import { fixtureEvents, sequence } from './fixture';

const events = fixtureEvents();
const ofType = <T extends BomfEvent['type']>(type: T) =>
  events.filter((e): e is Extract<BomfEvent, { type: T }> => e.type === type);

describe('the fold of the engine-written fixture', () => {
  const run = foldLog(events);

  test('every stage ended done, with its planned units all completed and its seconds summed', () => {
    // Catches a completed count in the wrong unit (steps vs checkpoints, members counted as searched).
    for (const stage of STAGES) {
      const s = run.stages[stage];
      assert.equal(s.status, 'done', stage);
      assert.equal(s.completed, s.total, `${stage}: ${s.completed}/${s.total}`);
      const ends = ofType('stage-end').filter((e) => e.stage === stage);
      assert.equal(
        s.seconds,
        ends.reduce((sum, e) => sum + e.seconds, 0),
      );
    }
    assert.equal(run.status, 'done');
    assert.equal(run.lastSeq, events.at(-1)!.seq);
  });

  test('trials, checkpoints, member and searched evaluations are all there, in the engine order', () => {
    assert.deepEqual(
      [...run.trials.values()].map((t) => [t.trial, t.status, t.objective]),
      ofType('trial-end').map((e) => [e.trial, e.status, e.objective]),
    );
    assert.deepEqual(
      [...run.checkpoints.keys()],
      ofType('checkpoint').map((c) => c.index),
    );
    const members = [...run.fusionEvals.values()].filter((f) => f.source === 'member');
    // The engine enters every checkpoint as a member before the search.
    assert.equal(members.length, run.checkpoints.size);
    assert.deepEqual(
      [...run.fusionEvals.keys()],
      ofType('fusion-eval').map((e) => e.index),
    );
    assert.deepEqual([...run.front], ofType('pareto-update').at(-1)!.front);
    assert.equal(latestHypervolume(run), ofType('pareto-update').at(-1)!.hypervolume);
    assert.equal(run.selection?.index, ofType('selection')[0]!.index);
    assert.equal(run.metricName, 'accuracy');
  });

  test('errors of failed trials are problems, not the run stopping', () => {
    const errors = ofType('error');
    assert.ok(errors.length > 0, 'the fixture has failed trials');
    assert.deepEqual(
      run.problems.map((p) => [p.message, p.fatal]),
      errors.map((e) => [e.message, e.fatal]),
    );
  });

  test('folding in overlapping chunks gives the same fold as folding the whole log', () => {
    // Catches an overlap folded twice (a stream and a file tail of one run): duplicated losses.
    const chunked = emptyRunFold();
    for (let i = 0; i < events.length; i += 7)
      foldEvents(chunked, events.slice(Math.max(0, i - 3), i + 7));
    assert.deepEqual(chunked, run);
  });

  test('the report, the side panel and the dashboard project the same trials, checkpoints and fusion', () => {
    const report = foldReport(events);
    const model = foldModel(emptyRunModel('/r'), events);
    const tree: TreeSource = { experiments: [], runs: [{ model, state: runState(model, false) }] };
    const stage = (s: 'search' | 'train' | 'fusion') =>
      childKeys(tree, { kind: 'stage', runDir: '/r', stage: s });
    const history = trialHistory(run);
    assert.equal(report.search.trials.length, stage('search').length);
    assert.equal(history.done.length + history.failed.length, report.search.trials.length);
    assert.deepEqual(
      report.train.checkpoints.map((c) => c.index),
      stage('train').map((k) => (k.kind === 'checkpoint' ? k.index : -1)),
    );
    assert.deepEqual(
      report.fusion.evaluations.map((e) => e.index),
      stage('fusion').map((k) => (k.kind === 'fusion' ? k.index : -1)),
    );
    assert.deepEqual(report.errors.length, run.problems.length);
  });
});

describe('the cases the three folds used to disagree on', () => {
  const start = { type: 'run-start', name: 'x', runDir: '/r', pid: 1 };
  const checkpoint = (index: number, loss: number) => ({
    type: 'checkpoint',
    index,
    step: 10 * (index + 1),
    epoch: 1,
    file: `checkpoints/ckpt-0${index}.safetensors`,
    validation: { loss, metrics: { accuracy: 1 - loss } },
  });

  test('a checkpoint written again (after a resume) replaces the first, in every projection', () => {
    const log = sequence([start, checkpoint(0, 0.5), checkpoint(1, 0.4), checkpoint(1, 0.3)]);
    const run = foldLog(log);
    assert.deepEqual([...run.checkpoints.keys()], [0, 1]);
    assert.equal(run.checkpoints.get(1)!.validation.loss, 0.3);
    assert.equal(run.stages.train.completed, 2);
    assert.deepEqual(
      foldReport(log).train.checkpoints.map((c) => [c.index, c.validation.loss]),
      [
        [0, 0.5],
        [1, 0.3],
      ],
    );
  });

  test('a trial-end whose trial-start was lost is dropped rather than given an invented source', () => {
    const run = foldLog(
      sequence([start, { type: 'trial-end', trial: 4, status: 'done', seconds: 1 }]),
    );
    assert.equal(run.trials.size, 0);
    assert.equal(run.stages.search.completed, 0);
  });

  test('stage seconds add up over a stage that failed and was resumed', () => {
    const run = foldLog(
      sequence([
        start,
        { type: 'stage-start', stage: 'train', total: 2 },
        { type: 'stage-end', stage: 'train', status: 'failed', seconds: 4 },
        { type: 'run-end', status: 'failed', seconds: 5 },
        { ...start, pid: 2, resumed: true },
        { type: 'stage-end', stage: 'train', status: 'done', seconds: 6 },
      ]),
    );
    assert.equal(run.stages.train.seconds, 10);
    assert.equal(run.stages.train.status, 'done');
    assert.equal(run.status, 'running');
    assert.equal(run.startedAt, '2026-01-01T00:00:00.000Z');
  });

  test('an event type this build does not know is skipped and later events still fold', () => {
    const run = foldLog(
      sequence([
        start,
        { type: 'job-submitted', jobId: 'slurm-17' },
        { type: 'stage-start', stage: 'search', total: 3 },
      ]),
    );
    assert.equal(run.stages.search.status, 'running');
    assert.equal(run.lastSeq, 2);
  });

  test('a log of an unknown schema version is refused with a message naming both versions', () => {
    const run = foldLog(
      sequence([
        { ...start, schemaVersion: EVENT_SCHEMA_VERSION + 1, engineVersion: '9.0.0' },
        { type: 'stage-start', stage: 'search', total: 3 },
      ]),
    );
    assert.match(
      run.unsupported ?? '',
      new RegExp(
        `version ${EVENT_SCHEMA_VERSION + 1}.*9\\.0\\.0.*reads version ${EVENT_SCHEMA_VERSION}`,
      ),
    );
    // Nothing after it is interpreted with the wrong meaning.
    assert.equal(run.stages.search.status, 'pending');
    assert.equal(
      runState(foldModel(emptyRunModel('/r'), run.start ? [run.start] : []), false),
      'unsupported',
    );
  });
});
