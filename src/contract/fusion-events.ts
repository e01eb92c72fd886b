/**
 * The events of stages 3 and 4 in the run's event log (./events has the log's other events and
 * the union of all): fused models suggested and evaluated, the Pareto front, the chosen model,
 * and the baselines it is compared with.
 */
import type { Evaluation, EventBase } from './events';

/** Stage 3: one fused model evaluated on the validation split. */
export interface FusionEvalEvent extends EventBase {
  type: 'fusion-eval';
  index: number;
  /**
   * 'member': a collected checkpoint itself (a vertex of the simplex), whose
   * validation result stage 2 already measured; 'initial': the Sobol design;
   * 'bo': an acquisition suggestion; 'baseline': a baseline's weights (SWA, the greedy soup and
   * the soups it tried), evaluated once before the search as a free observation that stage 4
   * reuses.
   */
  source: 'member' | 'initial' | 'bo' | 'baseline';
  /** For source 'baseline': the baseline whose computation asked for this model. */
  baseline?: BaselineName;
  /** The optimizer's point (in the fusion domain's own coordinates). */
  x: number[];
  /** Fusion weights on the simplex, one per checkpoint. */
  weights: number[];
  validation: Evaluation;
  /** Normalized objectives, all maximized, in the order of the config's objectives. */
  objectives: number[];
  /** The fusion-start this evaluates (absent for members and for logs written before fusion-start). */
  candidate?: number;
}

/**
 * Stage 3: a fusion candidate the optimizer suggested, recorded before it is
 * evaluated, so that candidates evaluated side by side are pending points of
 * the next suggestion and a resumed run evaluates the same ones.
 */
export interface FusionStartEvent extends EventBase {
  type: 'fusion-start';
  /** 0, 1, 2, … in suggestion order; names its job ('eval-<candidate>'). */
  candidate: number;
  source: 'initial' | 'bo';
  x: number[];
  weights: number[];
}

/** Whether a fusion-eval is one of the search's own evaluations (counted against its budget). */
export function isSearchEvaluation(e: Pick<FusionEvalEvent, 'source'>): boolean {
  return e.source === 'initial' || e.source === 'bo';
}

export interface ParetoUpdateEvent extends EventBase {
  type: 'pareto-update';
  /** Indices of fusion-eval events on the current Pareto front. */
  front: number[];
  hypervolume: number;
  evaluations: number;
}

export interface SelectionEvent extends EventBase {
  type: 'selection';
  /** Index of the chosen fusion-eval. */
  index: number;
  rule: string;
  weights: number[];
  validation: Evaluation;
  test?: Evaluation;
  /** Relative to the run folder: the exported fused model. */
  dir: string;
}

export type BaselineName =
  | 'bomf'
  | 'best-single'
  | 'last'
  | 'swa'
  | 'greedy-soup'
  | 'sobo-metric'
  | 'sobo-loss';

export interface BaselineEvent extends EventBase {
  type: 'baseline';
  name: BaselineName;
  weights: number[];
  validation: Evaluation;
  test?: Evaluation;
  /** Human-readable notes, e.g. the greedy soup's keep/reject decisions. */
  notes?: string[];
  /** Index of the stage-3 fusion-eval whose validation this reuses (no second evaluation). */
  fusionEval?: number;
}

/** One evaluation made by a search-based baseline (single-objective BO), kept for resume. */
export interface BaselineEvalEvent extends EventBase {
  type: 'baseline-eval';
  name: BaselineName;
  index: number;
  x: number[];
  weights: number[];
  validation: Evaluation;
  /** The value the baseline's optimizer maximizes. */
  objective: number;
}
