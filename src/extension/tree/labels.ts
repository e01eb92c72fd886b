/** How tree nodes look: labels, units and codicons per run and stage state. */
import type { StageName } from '../../contract/events';
import type { RunState, StageStatus } from '../runs/run-model';

export interface NodeIcon {
  /** A codicon id, e.g. 'sync~spin'. */
  id: string;
  /** A theme colour id, e.g. 'testing.iconPassed'. */
  color?: string;
}

export const STAGE_LABELS: Record<StageName, string> = {
  search: 'Stage 1 · hyperparameter search',
  train: 'Stage 2 · fine-tune and collect checkpoints',
  fusion: 'Stage 3 · multi-objective fusion',
  baselines: 'Baselines and held-out test',
};

export const STAGE_UNITS: Record<StageName, string> = {
  search: 'trials',
  train: 'checkpoints',
  fusion: 'evaluations',
  baselines: 'baselines',
};

export const RUN_STATE_ICONS: Record<RunState, NodeIcon> = {
  running: { id: 'sync~spin', color: 'charts.blue' },
  done: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  stopped: { id: 'debug-stop', color: 'disabledForeground' },
  interrupted: { id: 'warning', color: 'list.warningForeground' },
  unsupported: { id: 'circle-slash', color: 'list.warningForeground' },
};

export const STAGE_ICONS: Record<StageStatus, NodeIcon> = {
  pending: { id: 'circle-large-outline' },
  running: RUN_STATE_ICONS.running,
  done: RUN_STATE_ICONS.done,
  failed: RUN_STATE_ICONS.failed,
  skipped: { id: 'debug-step-over', color: 'disabledForeground' },
};

/** A number in 3 significant digits (1 decimal from 100 on). */
export const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3));
export const pct = (f: number) => `${Math.round(f * 100)}%`;
