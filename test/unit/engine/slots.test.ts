// The slot loop of stages 1 and 3: with a lab that has 2 slots and finishes
// units in an order the test dictates, every suggestion must be the one the
// event log prefix before it determines (finished units in completion order,
// running ones as pending points), so a resumed run rebuilds the same state.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { BayesOptimizer } from '../../../src/bo';
import type { BomfEvent } from '../../../src/contract/events';
import {
  type Hyperparameters,
  JobFailed,
  type JobHooks,
  type ProxySpec,
  type Split,
  type TrainHooks,
} from '../../../src/engine/pipeline/lab';
import { resumeRun, startRun } from '../../../src/engine/pipeline/run';
import { loadConfig } from '../../../src/engine/pipeline/run-config';
import { searchDomain } from '../../../src/engine/pipeline/search-stage';
import { events, ofType, workspace } from './pipeline-fixture';
import { SyntheticLab } from './synthetic-lab';

const CONFIG = `name: slots
seed: 5
data:
  train: train.tsv
  text: sentence
  label: label
search:
  budget: 7
  initial: 2
train:
  checkpoints: {count: 3, start: 0.5}
fusion:
  initial: 2
  budget: 6
baselines: [best-single]
`;

/**
 * Two slots; a unit finishes only once both slots are busy (or no other unit
 * arrives), and then the one with the highest unit number goes first: the order
 * of completions differs from the order of starts, and depends only on the units.
 */
class TwoSlotLab extends SyntheticLab {
  readonly slots = 2;
  readonly evaluationSlots = 2;
  maxInFlight = 0;
  private waiting: { n: number; go: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  private async gate(unit: string | undefined): Promise<void> {
    const n = Number(unit?.split('-')[1]);
    await new Promise<void>((go) => {
      this.waiting.push({ n, go });
      this.maxInFlight = Math.max(this.maxInFlight, this.waiting.length);
      clearTimeout(this.timer);
      if (this.waiting.length >= this.slots) this.release();
      else this.timer = setTimeout(() => this.release(), 20);
    });
  }

  private release(): void {
    this.waiting.sort((a, b) => b.n - a.n);
    this.waiting.shift()?.go();
    // The one left waiting goes on its own if no other unit arrives (the budget is spent).
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.release(), 20);
  }

  override async runTrial(
    params: Hyperparameters,
    proxy: ProxySpec,
    hooks: TrainHooks & { job?: JobHooks },
    signal: AbortSignal,
  ) {
    await this.gate(hooks.job?.unit);
    return super.runTrial(params, proxy, hooks, signal);
  }

  override async evaluateMix(members: string[], weights: number[], split: Split, job?: JobHooks) {
    if (job) await this.gate(job.unit);
    return super.evaluateMix(members, weights, split);
  }
}

/** Stage 1's suggestion from a log prefix, with or without its running trials as pending points. */
function suggestionAt(configFile: string, prefix: BomfEvent[], withPending: boolean): number[] {
  const config = loadConfig(configFile);
  const starts = ofType(prefix, 'trial-start');
  const ends = ofType(prefix, 'trial-end');
  const ended = new Set(ends.map((e) => e.trial));
  const byTrial = new Map(starts.map((s) => [s.trial, s]));
  return BayesOptimizer.fromObservations(
    {
      domain: searchDomain(config),
      objectives: 1,
      seed: config.seed,
      initialDesign: config.search.initial,
      acquisition: 'logei',
    },
    ends.map((e) => ({ x: byTrial.get(e.trial)!.x, y: [e.objective!] })),
    withPending ? starts.filter((s) => !ended.has(s.trial)).map((s) => s.x) : [],
  ).suggest(1)[0]!.x;
}

test('two slots keep two trials in flight; each suggestion conditions on the trials still running', async () => {
  const { config } = workspace(CONFIG);
  const lab = new TwoSlotLab();
  const outcome = await startRun(config, { labFactory: async () => lab });
  assert.equal(outcome.status, 'done', outcome.error?.message);
  assert.equal(lab.maxInFlight, 2);
  const evs = events(outcome.runDir);
  const starts = ofType(evs, 'trial-start');
  assert.equal(starts.length, 7);
  // Completions out of start order: the later-started trial of a pair finishes first.
  const endOrder = ofType(evs, 'trial-end').map((e) => e.trial);
  assert.notDeepEqual(
    endOrder,
    [...endOrder].sort((a, b) => a - b),
  );
  let pendingMattered = false;
  for (const start of starts) {
    const prefix = evs.filter((e) => e.seq < start.seq);
    assert.deepEqual(start.x, suggestionAt(config, prefix, true), `trial ${start.trial}`);
    if (start.source === 'bo') {
      const ignoring = suggestionAt(config, prefix, false);
      if (ignoring.some((v, i) => v !== start.x[i])) pendingMattered = true;
    }
  }
  assert.ok(pendingMattered, 'some BO suggestion differs from the one that ignores running trials');
  // Stage 3 keeps two candidates in flight too: some candidate starts before the previous one is evaluated.
  const fusion = evs.filter((e) => e.type === 'fusion-start' || e.type === 'fusion-eval');
  assert.ok(
    fusion.some((e, i) => e.type === 'fusion-start' && fusion[i + 1]?.type === 'fusion-start'),
  );
  assert.equal(ofType(evs, 'fusion-start').length, 6);
});

test('resumed after a kill at any point of stage 1, the run makes the same suggestions', async () => {
  const { config } = workspace(CONFIG);
  const reference = await startRun(config, { labFactory: async () => new TwoSlotLab() });
  const full = events(reference.runDir);
  const text = fs.readFileSync(path.join(reference.runDir, 'events.jsonl'), 'utf8').split('\n');
  const xs = (evs: BomfEvent[]) => ofType(evs, 'trial-start').map((s) => s.x);
  // Cut right after each trial-end (one trial still running) and resume from there.
  for (const end of ofType(full, 'trial-end').slice(0, -1)) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-slots-cut-'));
    fs.cpSync(reference.runDir, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'events.jsonl'), `${text.slice(0, end.seq + 1).join('\n')}\n`);
    fs.rmSync(path.join(copy, 'run.lock'), { force: true });
    const resumed = await resumeRun(copy, { labFactory: async () => new TwoSlotLab() });
    assert.equal(resumed.status, 'done', resumed.error?.message);
    assert.deepEqual(xs(events(copy)), xs(full), `cut after trial-end of trial ${end.trial}`);
  }
});

/** A lab whose stage-3 job for one candidate is killed from outside (say, scancel). */
class CancelledEvalLab extends TwoSlotLab {
  override async evaluateMix(members: string[], weights: number[], split: Split, job?: JobHooks) {
    if (job?.unit === 'eval-1') {
      job.onJob({ jobId: '77', state: 'queued' });
      job.onJob({ jobId: '77', state: 'ended', reason: 'Slurm job 77 was cancelled outside bomf' });
      throw new JobFailed('Slurm job 77 was cancelled outside bomf (scancel)');
    }
    return super.evaluateMix(members, weights, split, job);
  }
}

test('a fusion candidate whose job was cancelled from outside is lost, not the run, and resume does not redo it', async () => {
  const { config } = workspace(CONFIG);
  const outcome = await startRun(config, { labFactory: async () => new CancelledEvalLab() });
  assert.equal(outcome.status, 'done', outcome.error?.message);
  const evs = events(outcome.runDir);
  assert.equal(ofType(evs, 'fusion-start').length, 6);
  const evaluated = ofType(evs, 'fusion-eval').filter((e) => e.source !== 'member');
  assert.deepEqual(evaluated.map((e) => e.candidate).sort(), [0, 2, 3, 4, 5]);
  assert.ok(
    ofType(evs, 'error').some(
      (e) => !e.fatal && /eval-1 failed: .*cancelled outside/.test(e.message),
    ),
  );
  // Resume from just before the fusion stage ended: the failed candidate stays failed.
  const text = fs.readFileSync(path.join(outcome.runDir, 'events.jsonl'), 'utf8').split('\n');
  const fusionEnd = ofType(evs, 'stage-end').find((e) => e.stage === 'fusion')!;
  fs.writeFileSync(
    path.join(outcome.runDir, 'events.jsonl'),
    `${text.slice(0, fusionEnd.seq).join('\n')}\n`,
  );
  const resumed = await resumeRun(outcome.runDir, {
    labFactory: async () => new CancelledEvalLab(),
  });
  assert.equal(resumed.status, 'done');
  const after = events(outcome.runDir);
  assert.equal(ofType(after, 'fusion-start').length, 6, 'no candidate suggested again');
  assert.equal(ofType(after, 'fusion-eval').length, ofType(evs, 'fusion-eval').length);
  assert.equal(ofType(after, 'job').length, ofType(evs, 'job').length, 'eval-1 not resubmitted');
});
