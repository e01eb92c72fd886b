/** The header's view model: progress of each stage. */
import { isSearchEvaluation, STAGES, type StageName } from '../../contract/events';
import type { RunData, StageRecord } from './run-data';

export interface StageSummary {
  stage: StageName;
  label: string;
  status: StageRecord['status'] | 'pending';
  /** Units done so far (trials ended, training step, evaluations, baselines). */
  done: number;
  total: number;
}

const LABELS: Record<StageName, string> = {
  search: 'Hyperparameter search',
  train: 'Fine-tuning',
  fusion: 'Fusion',
  baselines: 'Baselines',
};

function doneUnits(run: RunData, stage: StageName): number {
  switch (stage) {
    case 'search':
      return [...run.trials.values()].filter((t) => t.status !== 'running').length;
    // In the units the engine plans a stage in (stage-start's total).
    case 'train':
      return run.checkpoints.size;
    case 'fusion':
      return [...run.fusionEvals.values()].filter(isSearchEvaluation).length;
    case 'baselines':
      return run.baselines.size;
  }
}

export function stageSummaries(run: RunData): StageSummary[] {
  return STAGES.map((stage) => {
    const record = run.stages.get(stage);
    return {
      stage,
      label: LABELS[stage],
      status: record?.status ?? 'pending',
      done: doneUnits(run, stage),
      total: record?.total ?? 0,
    };
  });
}
