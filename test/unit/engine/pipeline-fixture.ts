/** A synthetic-lab run in a fresh workspace, and the views of its log that tests compare. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BomfEvent } from '../../../src/contract/events';
import { parseEventLog } from '../../../src/contract/read-event-log';
import { startRun } from '../../../src/engine/pipeline/run';
import { SyntheticLab, type SyntheticLabOptions } from './synthetic-lab';

export const CONFIG = `name: synth
seed: 3
data:
  train: train.tsv
  text: sentence
  label: label
search:
  budget: 5
  initial: 2
train:
  checkpoints: {count: 5, start: 0.5}
fusion:
  initial: 5
  budget: 9
`;

export function workspace(config = CONFIG): { dir: string; config: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-pipeline-'));
  fs.writeFileSync(path.join(dir, 'train.tsv'), 'sentence\tlabel\nfine\t1\n');
  const file = path.join(dir, 'synth.bomf.yaml');
  fs.writeFileSync(file, config);
  return { dir, config: file };
}

export function events(runDir: string): BomfEvent[] {
  return parseEventLog(fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')).events;
}

export function ofType<T extends BomfEvent['type']>(evs: BomfEvent[], type: T) {
  return evs.filter((e): e is Extract<BomfEvent, { type: T }> => e.type === type);
}

export async function fullRun(labOpts: SyntheticLabOptions = {}, config = CONFIG) {
  const ws = workspace(config);
  const lab = new SyntheticLab(labOpts);
  const outcome = await startRun(ws.config, { labFactory: async () => lab });
  return { ws, lab, outcome, events: events(outcome.runDir) };
}

/** Everything a run computed (the Pareto history included), in a form that two runs can be compared on. */
export function completedWork(evs: BomfEvent[]) {
  return {
    trials: ofType(evs, 'trial-end').map((e) => ({
      trial: e.trial,
      status: e.status,
      objective: e.objective,
    })),
    trialParams: ofType(evs, 'trial-start').map((e) => ({ trial: e.trial, params: e.params })),
    checkpoints: ofType(evs, 'checkpoint').map((e) => ({
      index: e.index,
      step: e.step,
      validation: e.validation,
    })),
    fusion: ofType(evs, 'fusion-eval').map((e) => ({
      index: e.index,
      weights: e.weights,
      validation: e.validation,
    })),
    pareto: ofType(evs, 'pareto-update').map((e) => ({
      front: e.front,
      hypervolume: e.hypervolume,
      evaluations: e.evaluations,
    })),
    selection: ofType(evs, 'selection').map((e) => ({ index: e.index, weights: e.weights })),
    baselines: ofType(evs, 'baseline').map((e) => ({
      name: e.name,
      weights: e.weights,
      test: e.test,
    })),
  };
}
