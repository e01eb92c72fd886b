import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { emptyRunModel, foldEvents, runState } from '../../../src/extension/runs/run-model';
import { describeNode } from '../../../src/extension/tree/node-view';
import { childKeys, keyId, type TreeSource } from '../../../src/extension/tree/tree-model';
import { finishedRun, sequence } from './events-fixture';

const FINISHED_DIR = '/home/user/project/runs/sst2-bomf-2026-11-20T10-00-00';

function source(): TreeSource {
  const finished = foldEvents(emptyRunModel(FINISHED_DIR), finishedRun());
  const live = foldEvents(
    emptyRunModel('/home/user/project/runs/sst2-bomf-2'),
    sequence([
      {
        type: 'run-start',
        name: 'sst2-bomf',
        configFile: '/home/user/project/sst2.bomf.yaml',
        runDir: '/home/user/project/runs/sst2-bomf-2',
        pid: 7,
        time: '2026-11-21T00:00:00.000Z',
      },
      { type: 'stage-start', stage: 'search', total: 10 },
      { type: 'trial-start', trial: 0, params: { learningRate: 2e-5 }, source: 'initial' },
    ]),
  );
  const stray = foldEvents(
    emptyRunModel('/elsewhere/runs/old'),
    sequence([
      {
        type: 'run-start',
        name: 'old',
        configFile: '/elsewhere/old.bomf.yaml',
        runDir: '/elsewhere/runs/old',
        pid: 9,
      },
    ]),
  );
  return {
    experiments: [
      { configFile: '/home/user/project/sst2.bomf.yaml', label: 'sst2.bomf.yaml' },
      { configFile: '/home/user/project/empty.bomf.yaml', label: 'empty.bomf.yaml' },
    ],
    runs: [
      { model: finished, state: runState(finished, false) },
      { model: live, state: runState(live, true) },
      { model: stray, state: runState(stray, false) },
    ],
    // Five minutes after the live run started.
    now: Date.parse('2026-11-21T00:05:00.000Z'),
  };
}

const ids = (src: TreeSource, keys: ReturnType<typeof childKeys>) =>
  keys.map((k) => describeNode(src, k)?.label);

describe('tree model', () => {
  it('should list experiments, then runs of a config newest first, and put foreign runs under Other runs', () => {
    const src = source();
    const roots = childKeys(src);
    assert.deepEqual(ids(src, roots), ['sst2.bomf.yaml', 'empty.bomf.yaml', 'Other runs']);
    const runs = childKeys(src, roots[0]);
    assert.deepEqual(
      runs.map((k) => (k.kind === 'run' ? k.runDir : '')),
      ['/home/user/project/runs/sst2-bomf-2', FINISHED_DIR],
    );
    assert.deepEqual(childKeys(src, roots[1]), []);
    assert.equal(describeNode(src, roots[1])?.description, 'no runs yet');
    assert.match(ids(src, childKeys(src, roots[2]))[0] ?? '', /^old #[0-9a-f]{6}/);
  });

  it('should show state, progress and best metric on a run, with a contextValue per state for menus', () => {
    const src = source();
    const live = describeNode(src, { kind: 'run', runDir: '/home/user/project/runs/sst2-bomf-2' });
    assert.equal(live?.contextValue, 'bomf.run.running');
    assert.equal(live?.icon.id, 'sync~spin');
    assert.equal(live?.description, 'running · search 0% · 5m 00s elapsed');
    const done = describeNode(src, { kind: 'run', runDir: FINISHED_DIR });
    assert.equal(done?.contextValue, 'bomf.run.done');
    // A finished run shows how long it took, not time since.
    assert.match(done?.description ?? '', /^done · BOMF val accuracy 0\.\d+ · \d+m \d\ds$/);
    const stray = describeNode(src, { kind: 'run', runDir: '/elsewhere/runs/old' });
    assert.equal(stray?.contextValue, 'bomf.run.interrupted');
  });

  it('should list started stages only, with trials, fusion evaluations and baselines below them', () => {
    const src = source();
    const live = childKeys(src, { kind: 'run', runDir: '/home/user/project/runs/sst2-bomf-2' });
    assert.deepEqual(
      live.map((k) => (k.kind === 'stage' ? k.stage : '')),
      ['search'],
    );
    assert.equal(describeNode(src, live[0])?.description, '0/10 trials');
    const stages = childKeys(src, { kind: 'run', runDir: FINISHED_DIR });
    assert.equal(stages.length, 4);
    const [search, train, fusion, baselines] = stages;
    const trialEnds = finishedRun().flatMap((e) => (e.type === 'trial-end' ? [e] : []));
    assert.deepEqual(
      ids(src, childKeys(src, search)),
      trialEnds.map((e) => `Trial ${e.trial}`),
    );
    const failed = trialEnds.findIndex((e) => e.status === 'failed');
    assert.equal(describeNode(src, childKeys(src, search)[failed])?.icon.id, 'error');
    const checkpoints = childKeys(src, train).map((k) => describeNode(src, k));
    assert.ok(checkpoints.length > 0);
    assert.equal(checkpoints[0]?.label, 'Checkpoint 0');
    assert.match(checkpoints[0]?.description ?? '', /^step \d+ · loss /);
    assert.match(checkpoints[0]?.resourcePath ?? '', /checkpoints[\\/]ckpt-00\.safetensors$/);
    const fusionNodes = childKeys(src, fusion).map((k) => describeNode(src, k));
    assert.equal(fusionNodes.length, finishedRun().filter((e) => e.type === 'fusion-eval').length);
    assert.equal(fusionNodes.filter((n) => n?.label.endsWith('(chosen)')).length, 1);
    assert.ok(fusionNodes.some((n) => n?.icon.id === 'star-full'));
    assert.ok(ids(src, childKeys(src, baselines)).includes('greedy-soup'));
  });

  it('should keep ids stable and unique across updates of the same run', () => {
    const before = source();
    const collect = (src: TreeSource) => {
      const out: string[] = [];
      const walk = (keys: ReturnType<typeof childKeys>) => {
        for (const k of keys) {
          out.push(keyId(k));
          walk(childKeys(src, k));
        }
      };
      walk(childKeys(src));
      return out;
    };
    const first = collect(before);
    assert.equal(new Set(first).size, first.length);
    const after = source();
    const live = after.runs[1].model;
    foldEvents(
      live,
      sequence([{ type: 'trial-end', trial: 0, status: 'done', objective: 0.5, seconds: 1 }], 3),
    );
    const second = collect(after);
    assert.deepEqual(second, first);
    assert.notEqual(
      describeNode(after, { kind: 'trial', runDir: live.runDir, trial: 0 })?.description,
      describeNode(before, { kind: 'trial', runDir: live.runDir, trial: 0 })?.description,
    );
  });

  it('should describe a key whose run is gone as undefined', () => {
    assert.equal(describeNode(source(), { kind: 'run', runDir: '/nope' }), undefined);
  });
});

describe('checkpoints as free fusion candidates', () => {
  it('should label member evaluations by checkpoint and leave them out of the fusion progress', () => {
    const runDir = '/r/run';
    const model = foldEvents(
      emptyRunModel(runDir),
      sequence([
        { type: 'run-start', name: 'r', configFile: '/r/r.bomf.yaml', runDir, pid: 1 },
        { type: 'stage-start', stage: 'fusion', total: 2 },
        ...[0, 1].map((k) => ({
          type: 'fusion-eval',
          index: k,
          source: 'member',
          x: [k],
          weights: k === 0 ? [1, 0] : [0, 1],
          validation: { loss: 0.5, metrics: { accuracy: 0.7 } },
          objectives: [0, 0],
        })),
        {
          type: 'fusion-eval',
          index: 2,
          source: 'initial',
          x: [0.5],
          weights: [0.5, 0.5],
          validation: { loss: 0.4, metrics: { accuracy: 0.8 } },
          objectives: [1, 1],
        },
      ]),
    );
    assert.equal(model.stages.fusion.completed, 1);
    const src: TreeSource = { experiments: [], runs: [{ model, state: 'running' }] };
    const fusion = childKeys(src, { kind: 'stage', runDir, stage: 'fusion' });
    assert.deepEqual(ids(src, fusion), ['Checkpoint 0', 'Checkpoint 1', 'Fusion 2']);
    assert.equal(
      describeNode(src, { kind: 'stage', runDir, stage: 'fusion' })?.description,
      '1/2 evaluations',
    );
  });

  it("should offer Open Trial Log for a trial run as a job (either lab) and show a failed trial's stderr tail", () => {
    // Catches: the tail dropped by the fold, the log action offered for in-process trials,
    // or withheld from the TF.js lab's trial jobs (their logs are in jobs/, not trials/).
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-tree-'));
    const model = foldEvents(
      emptyRunModel(runDir),
      sequence([
        { type: 'run-start', name: 'cmd', configFile: '/c.bomf.yaml', runDir, pid: 1 },
        { type: 'stage-start', stage: 'search', total: 2 },
        { type: 'trial-start', trial: 0, params: { learningRate: 1e-3 }, source: 'initial' },
        { type: 'trial-start', trial: 1, params: { learningRate: 1e-4 }, source: 'initial' },
        {
          type: 'trial-end',
          trial: 0,
          status: 'failed',
          error: 'the trial command (python3 train.py) exited with code 1',
          stderrTail: 'RuntimeError: CUDA out of memory',
          seconds: 1,
        },
      ]),
    );
    fs.mkdirSync(path.join(runDir, 'trials', 'trial-0'), { recursive: true });
    fs.writeFileSync(path.join(runDir, 'trials', 'trial-0', 'stderr.log'), 'Traceback\n');
    const src: TreeSource = { experiments: [], runs: [{ model, state: 'running' }] };
    const failed = describeNode(src, { kind: 'trial', runDir, trial: 0 })!;
    assert.equal(failed.contextValue, 'bomf.trial.logged');
    assert.match(
      failed.tooltip!,
      /exited with code 1\n\nstderr:\nRuntimeError: CUDA out of memory/,
    );
    // Trial 1 has no folder (yet): no log to open; then its TF.js job writes one.
    const trial1 = () => describeNode(src, { kind: 'trial', runDir, trial: 1 })!.contextValue;
    assert.equal(trial1(), 'bomf.trial');
    fs.mkdirSync(path.join(runDir, 'jobs', 'trial-1'), { recursive: true });
    fs.writeFileSync(path.join(runDir, 'jobs', 'trial-1', 'stdout.log'), '');
    assert.equal(trial1(), 'bomf.trial.logged');
  });
});

describe('a run of an unknown event schema', () => {
  it('should be shown as unsupported, with the reason, and offer no Resume (its contextValue matches no resume menu)', () => {
    const runDir = '/r/newer';
    const model = foldEvents(
      emptyRunModel(runDir),
      sequence([
        { type: 'run-start', name: 'n', runDir, pid: 1, schemaVersion: 99, engineVersion: '9.9.9' },
      ]),
    );
    const state = runState(model, false);
    const src: TreeSource = { experiments: [], runs: [{ model, state }] };
    const node = describeNode(src, { kind: 'run', runDir });
    assert.equal(node?.contextValue, 'bomf.run.unsupported');
    assert.doesNotMatch(node?.contextValue ?? '', /^bomf\.run\.(interrupted|stopped|failed)$/);
    assert.match(node?.tooltip ?? '', /schema version 99 \(engine 9\.9\.9\)/);
  });
});

describe('run identity in the tree', () => {
  it('should lead the run node with its label and count its notes, the notes in the tooltip', () => {
    const model = foldEvents(
      emptyRunModel('/r/a'),
      sequence([{ type: 'run-start', name: 'sst2', runId: 'sst2-1', runDir: '/r/a', pid: 1 }]),
    );
    model.annotations = {
      label: 'seed 4',
      notes: [{ time: '2026-12-06T08:00:00.000Z', text: 'lr looks high' }],
    };
    const src: TreeSource = { experiments: [], runs: [{ model, state: 'done' }] };
    const node = describeNode(src, { kind: 'run', runDir: '/r/a' });
    assert.match(node?.label ?? '', /^seed 4 \(sst2 #[0-9a-f]{6} · /);
    assert.match(node?.description ?? '', /1 note$/);
    assert.match(node?.tooltip ?? '', /lr looks high/);
  });
});

describe('trials run as jobs', () => {
  const runDir = '/home/user/project/runs/sst2-slurm';
  const events = (states: ('queued' | 'running')[]) =>
    sequence([
      { type: 'run-start', name: 'sst2-slurm', configFile: '/c.bomf.yaml', runDir, pid: 7 },
      { type: 'stage-start', stage: 'search', total: 2 },
      { type: 'trial-start', trial: 0, params: { learningRate: 2e-5 }, source: 'initial' },
      { type: 'trial-start', trial: 1, params: { learningRate: 3e-5 }, source: 'initial' },
      ...states.map((state) => ({
        type: 'job',
        unit: 'trial-1',
        stage: 'search',
        executor: 'slurm',
        jobId: '4242',
        state,
      })),
    ]);
  const trialNode = (states: ('queued' | 'running')[]) => {
    const model = foldEvents(emptyRunModel(runDir), events(states));
    const src: TreeSource = {
      experiments: [],
      runs: [{ model, state: runState(model, true) }],
    };
    return describeNode(src, { kind: 'trial', runDir, trial: 1 })!;
  };

  it('should show a queued trial as queued with its Slurm job id, and a started one as running', () => {
    const queued = trialNode(['queued']);
    assert.match(queued.description ?? '', /^queued · .*Slurm job 4242/);
    assert.deepEqual(queued.icon, { id: 'clock' });
    const running = trialNode(['queued', 'running']);
    assert.doesNotMatch(running.description ?? '', /queued/);
    assert.match(running.description ?? '', /Slurm job 4242/);
  });
});
