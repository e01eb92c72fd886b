/**
 * The side panel's tree as plain data: experiments (config files) → runs →
 * stages → trials / fusion evaluations / baselines. vscode-free; the provider
 * turns these keys into TreeItems, ./node-view says how each one looks. Ids are
 * stable across updates so VS Code keeps selection and expansion when a node is
 * refreshed.
 */
import * as path from 'node:path';
import { STAGES, type StageName } from '../../contract/events';
import { trialsInOrder } from '../../contract/fold';
import type { RunModel, RunState } from '../runs/run-model';

export interface ExperimentEntry {
  /** Absolute path of the *.bomf.yaml file. */
  readonly configFile: string;
  /** Path shown in the tree (relative to the workspace). */
  readonly label: string;
}

export interface RunEntry {
  readonly model: RunModel;
  readonly state: RunState;
}

export interface TreeSource {
  readonly experiments: readonly ExperimentEntry[];
  readonly runs: readonly RunEntry[];
  /** The clock for elapsed time and ETAs (ms since the epoch); Date.now() when absent. */
  readonly now?: number;
}

export type TreeKey =
  | { kind: 'experiment'; configFile: string }
  | { kind: 'other-runs' }
  | { kind: 'run'; runDir: string }
  | { kind: 'stage'; runDir: string; stage: StageName }
  | { kind: 'trial'; runDir: string; trial: number }
  | { kind: 'checkpoint'; runDir: string; index: number }
  | { kind: 'fusion'; runDir: string; index: number }
  | { kind: 'baseline'; runDir: string; name: string };

/** A unique, stable id for a key. */
export function keyId(key: TreeKey): string {
  switch (key.kind) {
    case 'experiment':
      return `experiment:${key.configFile}`;
    case 'other-runs':
      return 'other-runs';
    case 'run':
      return `run:${key.runDir}`;
    case 'stage':
      return `stage:${key.runDir}:${key.stage}`;
    case 'trial':
      return `trial:${key.runDir}:${key.trial}`;
    case 'checkpoint':
      return `checkpoint:${key.runDir}:${key.index}`;
    case 'fusion':
      return `fusion:${key.runDir}:${key.index}`;
    case 'baseline':
      return `baseline:${key.runDir}:${key.name}`;
  }
}

/** The runs of `configFile`, newest first; with undefined, the runs of no listed experiment. */
export function runsOf(source: TreeSource, configFile: string | undefined): RunEntry[] {
  const known = new Set(source.experiments.map((e) => path.resolve(e.configFile)));
  return source.runs
    .filter((r) => {
      const own = r.model.start?.configFile ? path.resolve(r.model.start.configFile) : undefined;
      return configFile === undefined ? !own || !known.has(own) : own === path.resolve(configFile);
    })
    .sort((a, b) =>
      (b.model.startedAt ?? b.model.runDir).localeCompare(a.model.startedAt ?? a.model.runDir),
    );
}

/** Keys of the children of `parent` (the roots when absent). */
export function childKeys(source: TreeSource, parent?: TreeKey): TreeKey[] {
  if (!parent) {
    const roots: TreeKey[] = source.experiments.map((e) => ({
      kind: 'experiment',
      configFile: e.configFile,
    }));
    if (runsOf(source, undefined).length > 0) roots.push({ kind: 'other-runs' });
    return roots;
  }
  switch (parent.kind) {
    case 'experiment':
    case 'other-runs': {
      const config = parent.kind === 'experiment' ? parent.configFile : undefined;
      return runsOf(source, config).map((r) => ({ kind: 'run', runDir: r.model.runDir }));
    }
    case 'run': {
      const run = findRun(source, parent.runDir);
      if (!run) return [];
      return STAGES.filter((s) => run.model.stages[s].status !== 'pending').map((stage) => ({
        kind: 'stage',
        runDir: parent.runDir,
        stage,
      }));
    }
    case 'stage': {
      const run = findRun(source, parent.runDir);
      if (!run) return [];
      const { runDir } = parent;
      if (parent.stage === 'search')
        return trialsInOrder(run.model).map((t) => ({ kind: 'trial', runDir, trial: t.trial }));
      if (parent.stage === 'train')
        return [...run.model.checkpoints.keys()]
          .sort((a, b) => a - b)
          .map((index) => ({ kind: 'checkpoint', runDir, index }));
      if (parent.stage === 'fusion')
        return [...run.model.fusionEvals.keys()].map((index) => ({
          kind: 'fusion',
          runDir,
          index,
        }));
      if (parent.stage === 'baselines') {
        return [...run.model.baselines.keys()].map((name) => ({ kind: 'baseline', runDir, name }));
      }
      return [];
    }
    default:
      return [];
  }
}

export function findRun(source: TreeSource, runDir: string): RunEntry | undefined {
  return source.runs.find((r) => r.model.runDir === runDir);
}
