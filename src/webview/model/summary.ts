/** The header's view model: progress of each stage. */
import { STAGES, type StageName } from '../../contract/events';
import type { RunFold, StageStatus } from '../../contract/fold';

export interface StageSummary {
  stage: StageName;
  label: string;
  status: StageStatus;
  /** Units done so far, in the engine's planned units (trials ended, checkpoints, searched fused models, baselines). */
  done: number;
  total: number;
  /** Time the stage took, over all its attempts, once it ended. */
  seconds?: number;
}

const LABELS: Record<StageName, string> = {
  search: 'Hyperparameter search',
  train: 'Fine-tuning',
  fusion: 'Fusion',
  baselines: 'Baselines',
};

export function stageSummaries(run: RunFold): StageSummary[] {
  return STAGES.map((stage) => {
    const record = run.stages[stage];
    return {
      stage,
      label: LABELS[stage],
      status: record.status,
      done: record.completed,
      total: record.total,
      seconds: record.seconds,
    };
  });
}
