// End-to-end runs of the built CLI (dist/engine.js) with the real TF.js lab on the
// wasm backend: a tiny random-weight model on a slice of SST-2, killed and resumed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { BomfEvent } from '../../../src/contract/events';
import { initBackend } from '../../../src/train/backend';
import { readSafetensors } from '../../../src/train/safetensors';
import { bomf, exited, ofType, runEvents, runUntil } from '../../support/cli';
import { writeTinyEncoder } from '../../support/tiny-model';

const root = path.resolve(__dirname, '../../..');
const sst2 = path.join(root, 'examples', 'data', 'sst2');

let work: string;
let config: string;

before(async () => {
  await initBackend('wasm');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-cli-'));
  const model = writeTinyEncoder(path.join(work, 'model'), [path.join(sst2, 'train.tsv')]);
  config = path.join(work, 'tiny.bomf.yaml');
  fs.writeFileSync(
    config,
    `name: tiny
seed: 1
data:
  train: ${path.join(sst2, 'train.tsv')}
  test: ${path.join(sst2, 'dev.tsv')}
  text: sentence
  label: label
  limit: { train: 320, validation: 64, test: 64 }
  maxLength: 32
model: { source: ${model}, backend: wasm }
hyperparameters: { epochs: 2, batchSize: 16 }
search:
  budget: 3
  initial: 2
  parameters:
    learningRate: { low: 3.0e-4, high: 3.0e-3, log: true }
train:
  checkpoints: { count: 4, start: 0.5 }
fusion:
  budget: 10
# One slot: trials and evaluations in the engine process, so two runs finish their units in the
# same order and the kill/resume tests can compare them exactly (jobs: the parallel test below).
executor: { slots: 1 }
`,
  );
});

/** What a run computed, comparable between runs (weights rounded against float noise). */
function completed(evs: BomfEvent[]) {
  const r = (v: number) => Number(v.toFixed(6));
  return {
    trials: ofType(evs, 'trial-end').map((e) => [e.trial, e.status, e.objective]),
    checkpoints: ofType(evs, 'checkpoint').map((e) => [e.index, e.step, r(e.validation.loss)]),
    fusion: ofType(evs, 'fusion-eval').map((e) => [
      e.index,
      e.weights.map(r),
      r(e.validation.loss),
    ]),
  };
}

describe('bomf run on the wasm backend', () => {
  let reference: { runDir: string; events: BomfEvent[] };

  before(() => {
    const out = bomf(['run', config, '--json-events', '--out', path.join(work, 'runs')]);
    assert.equal(out.status, 0, out.stderr);
    const events = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as BomfEvent);
    const start = events[0]!;
    assert.equal(start.type, 'run-start');
    reference = { runDir: (start as Extract<BomfEvent, { type: 'run-start' }>).runDir, events };
  });

  test('the run folder holds every documented file, and stdout mirrors events.jsonl', () => {
    for (const f of [
      'config.resolved.yaml',
      'events.jsonl',
      'report.json',
      'report.md',
      'fused/model.safetensors',
      'fused/config.json',
      'fused/tokenizer.json',
      'fused/fusion.json',
    ]) {
      assert.ok(fs.existsSync(path.join(reference.runDir, f)), `${f} missing`);
    }
    assert.deepEqual(runEvents(reference.runDir), reference.events);
    assert.equal(ofType(reference.events, 'checkpoint').length, 4);
    assert.equal(ofType(reference.events, 'run-end')[0]!.status, 'done');
    const names = ofType(reference.events, 'baseline').map((b) => b.name);
    for (const n of [
      'bomf',
      'best-single',
      'last',
      'swa',
      'greedy-soup',
      'sobo-metric',
      'sobo-loss',
    ])
      assert.ok(names.includes(n as never), n);
  });

  test('the Pareto front is mutually non-dominated and holds the selected model', () => {
    const fusion = ofType(reference.events, 'fusion-eval');
    const front = ofType(reference.events, 'pareto-update').at(-1)!.front;
    const ys = front.map((i) => fusion[i]!.objectives);
    const dominates = (a: number[], b: number[]) =>
      a.every((v, i) => v >= b[i]!) && a.some((v, i) => v > b[i]!);
    for (const a of ys) for (const b of ys) assert.ok(!dominates(a, b));
    assert.ok(front.includes(ofType(reference.events, 'selection')[0]!.index));
    const report = JSON.parse(fs.readFileSync(path.join(reference.runDir, 'report.json'), 'utf8'));
    assert.equal(report.backend, 'wasm');
    assert.match(report.tfjsVersion, /^\d+\.\d+\.\d+$/);
  });

  test('the exported fused model is the selected weighted average of the checkpoints', () => {
    const selection = ofType(reference.events, 'selection')[0]!;
    const members = ofType(reference.events, 'checkpoint').map(
      (c) => readSafetensors(path.join(reference.runDir, c.file)).tensors,
    );
    const fused = readSafetensors(
      path.join(reference.runDir, 'fused', 'model.safetensors'),
    ).tensors;
    for (const [name, t] of fused) {
      for (let i = 0; i < t.data.length; i += 97) {
        const expected = members.reduce(
          (s, m, k) => s + selection.weights[k]! * m.get(name)!.data[i]!,
          0,
        );
        assert.ok(Math.abs(t.data[i]! - expected) < 1e-5, `${name}[${i}]`);
      }
    }
  });

  test('bomf fuse writes the hand-computed weighted average', () => {
    const out = path.join(work, 'manual');
    const r = bomf(['fuse', '--run', reference.runDir, '--weights', '1,0,1,2', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const members = ofType(reference.events, 'checkpoint').map(
      (c) => readSafetensors(path.join(reference.runDir, c.file)).tensors,
    );
    const fused = readSafetensors(path.join(out, 'model.safetensors')).tensors;
    const w = [0.25, 0, 0.25, 0.5];
    assert.equal(fused.size, members[0]!.size);
    for (const [name, t] of fused) {
      t.data.forEach((v, i) => {
        const expected = members.reduce((s, m, k) => s + w[k]! * m.get(name)!.data[i]!, 0);
        assert.ok(Math.abs(v - expected) < 1e-6, `${name}[${i}]: ${v} vs ${expected}`);
      });
    }
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'fusion.json'), 'utf8')).weights, w);
  });

  for (const [label, predicate] of [
    ['during stage 1', (e: BomfEvent) => e.type === 'trial-end' && e.trial === 0],
    ['between checkpoints', (e: BomfEvent) => e.type === 'checkpoint' && e.index === 1],
    ['mid-fusion', (e: BomfEvent) => e.type === 'fusion-eval' && e.index === 5],
  ] as const) {
    test(`kill -9 ${label}, then bomf resume, gives the same completed evaluations`, async () => {
      const { child } = await runUntil(
        ['run', config, '--out', path.join(work, 'killed')],
        predicate,
      );
      child.kill('SIGKILL');
      await exited(child);
      const runDir = fs
        .readdirSync(path.join(work, 'killed'))
        .map((d) => path.join(work, 'killed', d))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]!;
      const before = runEvents(runDir);
      assert.ok(!before.some((e) => e.type === 'run-end'), 'a killed run has no run-end');
      const r = bomf(['resume', runDir]);
      assert.equal(r.status, 0, r.stderr);
      const after = runEvents(runDir);
      assert.deepEqual(completed(after), completed(reference.events));
      // Nothing finished before the kill was recomputed: its events are a prefix of the final log.
      const finishedBefore = before.filter(
        (e) => e.type === 'trial-end' || e.type === 'checkpoint' || e.type === 'fusion-eval',
      );
      for (const e of finishedBefore)
        assert.deepEqual(
          after.find((a) => a.seq === e.seq),
          e,
        );
      assert.equal(ofType(after, 'trial-end').length, 3);
    });
  }

  test('a run whose --json-events reader goes away (EPIPE) carries on to the end', async () => {
    const { child } = await runUntil(
      ['run', config, '--out', path.join(work, 'orphan')],
      (e) => e.type === 'trial-start',
    );
    child.stdout!.destroy();
    assert.equal(await exited(child), 0);
    const runDir = path.join(work, 'orphan', fs.readdirSync(path.join(work, 'orphan'))[0]!);
    assert.equal(ofType(runEvents(runDir), 'run-end')[0]!.status, 'done');
  });

  test('SIGTERM stops the run cleanly with exit code 143 and a stopped run-end', async () => {
    const { child } = await runUntil(
      ['run', config, '--out', path.join(work, 'stopped')],
      (e) => e.type === 'trial-start',
    );
    child.kill('SIGTERM');
    assert.equal(await exited(child), 143);
    const runDir = path.join(work, 'stopped', fs.readdirSync(path.join(work, 'stopped'))[0]!);
    const evs = runEvents(runDir);
    assert.deepEqual(evs.at(-1)!.type, 'run-end');
    assert.equal(ofType(evs, 'run-end')[0]!.status, 'stopped');
    assert.ok(!fs.existsSync(path.join(runDir, 'run.lock')));
  });
});

test('search.parallel (deprecated alias of executor.slots) runs trials as concurrent jobs with batch suggestions', () => {
  const parallelConfig = path.join(work, 'parallel.bomf.yaml');
  fs.writeFileSync(
    parallelConfig,
    fs
      .readFileSync(config, 'utf8')
      .replace('budget: 3\n  initial: 2', 'budget: 4\n  initial: 2\n  parallel: 2')
      .replace('executor: { slots: 1 }\n', '')
      .replace('count: 4', 'count: 2')
      .replace('budget: 10', 'budget: 3'),
  );
  const r = bomf(['run', parallelConfig, '--json-events', '--out', path.join(work, 'parallel')]);
  assert.equal(r.status, 0, r.stderr);
  const evs = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as BomfEvent);
  const trialEvents = evs
    .filter((e) => e.type === 'trial-start' || e.type === 'trial-end')
    .map((e) => e.type);
  // Two starts before any end, twice: batches of q = 2 run together.
  assert.deepEqual(trialEvents.slice(0, 2), ['trial-start', 'trial-start']);
  assert.equal(ofType(evs, 'trial-end').filter((e) => e.status === 'done').length, 4);
  // A slot frees as soon as one trial ends; with one observation the GP cannot be fit yet, so
  // that suggestion still comes from the Sobol design, the last one from BO.
  const starts = ofType(evs, 'trial-start');
  assert.ok(starts.at(-1)!.source === 'bo');
  const distinct = new Set(starts.map((s) => JSON.stringify(s.params)));
  assert.equal(distinct.size, starts.length, 'no point suggested twice while others run');
  assert.ok(
    ofType(evs, 'train-progress').some((e) => e.stage === 'search' && e.trial === 1),
    'worker progress reaches the log',
  );
});

test('with 2 local slots, kill -9 of the driver then resume reattaches the running jobs and submits no unit twice', async () => {
  const parallelConfig = path.join(work, 'parallel-kill.bomf.yaml');
  fs.writeFileSync(
    parallelConfig,
    fs
      .readFileSync(config, 'utf8')
      .replace('executor: { slots: 1 }', 'executor: { slots: 2 }')
      .replace('count: 4', 'count: 2')
      .replace('budget: 10', 'budget: 3'),
  );
  const out = path.join(work, 'parallel-kill');
  const { child } = await runUntil(
    ['run', parallelConfig, '--out', out],
    (e) => e.type === 'job' && e.unit === 'trial-1' && e.state === 'running',
  );
  child.kill('SIGKILL');
  await exited(child);
  const runDir = path.join(out, fs.readdirSync(out)[0]!);
  const r = bomf(['resume', runDir]);
  assert.equal(r.status, 0, r.stderr);
  const evs = runEvents(runDir);
  assert.equal(ofType(evs, 'run-end').at(-1)!.status, 'done');
  const jobs = ofType(evs, 'job');
  const submitted = jobs.filter((j) => j.state === 'queued' && !j.reattached).map((j) => j.unit);
  assert.deepEqual([...new Set(submitted)], submitted, 'no unit submitted twice');
  // Locally only trials are jobs; fusion evaluations stay in the driver (createTfLab says why).
  assert.equal(submitted.length, ofType(evs, 'trial-start').length);
  assert.ok(jobs.some((j) => j.reattached && j.unit.startsWith('trial-')));
  assert.ok(ofType(evs, 'trial-end').every((e) => e.status === 'done'));
});

test('bomf validate names file, line and column and exits 2', () => {
  const bad = path.join(os.tmpdir(), `bad-${process.pid}.bomf.yaml`);
  fs.writeFileSync(
    bad,
    'name: x\ndata:\n  train: nowhere.tsv\n  text: s\n  label: l\nfusion:\n  selection: kne\n',
  );
  const r = bomf(['validate', bad]);
  assert.equal(r.status, 2);
  assert.match(
    r.stdout,
    new RegExp(`${bad.replace(/[.]/g, '\\.')}:3:10: error: data file not found: nowhere\\.tsv`),
  );
  assert.match(
    r.stdout,
    /:7:14: error: 'fusion\.selection' must be one of .*did you mean 'knee'\?/,
  );
});

test('bomf run refuses a bad config with its diagnostics and exit code 2, creating no run folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-bad-'));
  const bad = path.join(dir, 'bad.bomf.yaml');
  fs.writeFileSync(bad, 'name: x\ndata:\n  train: nowhere.tsv\n  text: s\n  label: l\n');
  const r = bomf(['run', bad]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.bomf\.yaml:3:10: error: data file not found/);
  assert.ok(!fs.existsSync(path.join(dir, 'runs')));
});
