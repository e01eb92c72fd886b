/**
 * The experiments table's rows and the messages of its page and of the compare-runs page
 * (hosts in src/extension/experiments-table, pages in src/webview/view/experiments-page.ts and
 * compare-page.ts). The compare page posts the same `ready` / `open-runs` as the table. The host folds every run it knows and sends the
 * rows whole; the table is small (one row per run), so a snapshot per change is simpler and
 * as cheap as deltas. Both sides check what they receive, as in protocol.ts.
 */
import type { BomfEvent } from './events';
import { type DashboardRunState, isEventArray, isRecord, isRunState } from './protocol';

/** How BOMF's test result compares with a baseline's (paired bootstrap, see significance.ts). */
export type Verdict = 'bomf-better' | 'baseline-better' | 'noise' | 'identical';
const VERDICTS: readonly Verdict[] = ['bomf-better', 'baseline-better', 'noise', 'identical'];

/** One run as a row of the table. Every value a run has not produced yet is absent. */
export interface ExperimentRow {
  runDir: string;
  /** runTitle: label, config name, short id, start time. */
  title: string;
  state: DashboardRunState;
  startedAt?: string;
  durationSeconds?: number;
  /** Stage 1's searched hyperparameters of its best finished trial. */
  params: Record<string, number>;
  /** The primary metric's name. */
  metric?: string;
  /** The chosen (selected) fused model's validation and test values of the primary metric. */
  validation?: number;
  test?: number;
  /** The baseline with the best test value of the primary metric (BOMF excluded). */
  bestBaseline?: string;
  bestBaselineTest?: number;
  /** BOMF's test value minus the best baseline's. */
  difference?: number;
  verdict?: Verdict;
}

export interface ExperimentsMessage {
  type: 'experiments';
  rows: ExperimentRow[];
}

export type ExperimentsHostMessage = ExperimentsMessage;

/** One run of a comparison: its table row, its whole event log and its resolved config. */
export interface ComparedRunData {
  row: ExperimentRow;
  events: BomfEvent[];
  /** config.resolved.yaml parsed; absent when the run folder has none or it does not parse. */
  config?: unknown;
}

/** The runs to compare, in the order the user selected them; replaces what the page showed. */
export interface CompareMessage {
  type: 'compare';
  runs: ComparedRunData[];
}

export type ExperimentsWebviewMessage =
  | { type: 'ready' }
  /** Open the dashboard of each run. */
  | { type: 'open-runs'; runDirs: string[] }
  /** Compare these runs (two or more) side by side. */
  | { type: 'compare-runs'; runDirs: string[] };

/** What the table page keeps with `setState`: the user's view of the table. */
export interface ExperimentsPersistedState {
  sortColumn?: string;
  descending?: boolean;
  filter?: string;
  /** Column keys the user hid. */
  hidden?: string[];
  /** Run folders of the selected rows. */
  selected?: string[];
}

/** What the compare page keeps with `setState`: the panel serializer reopens these runs after a reload. */
export interface ComparePersistedState {
  runDirs: string[];
}

const isOptionalNumber = (x: unknown) => x === undefined || typeof x === 'number';
const isOptionalString = (x: unknown) => x === undefined || typeof x === 'string';

function isNumberRecord(x: unknown): x is Record<string, number> {
  return isRecord(x) && Object.values(x).every((v) => typeof v === 'number');
}

export function isExperimentRow(x: unknown): x is ExperimentRow {
  return (
    isRecord(x) &&
    typeof x.runDir === 'string' &&
    typeof x.title === 'string' &&
    isRunState(x.state) &&
    isOptionalString(x.startedAt) &&
    isOptionalNumber(x.durationSeconds) &&
    isNumberRecord(x.params) &&
    isOptionalString(x.metric) &&
    isOptionalNumber(x.validation) &&
    isOptionalNumber(x.test) &&
    isOptionalString(x.bestBaseline) &&
    isOptionalNumber(x.bestBaselineTest) &&
    isOptionalNumber(x.difference) &&
    (x.verdict === undefined || (VERDICTS as readonly unknown[]).includes(x.verdict))
  );
}

/** Validates a message received by the table page. */
export function isExperimentsHostMessage(x: unknown): x is ExperimentsHostMessage {
  return (
    isRecord(x) &&
    x.type === 'experiments' &&
    Array.isArray(x.rows) &&
    x.rows.every(isExperimentRow)
  );
}

/** Validates a message received by the compare page. */
export function isCompareMessage(x: unknown): x is CompareMessage {
  return (
    isRecord(x) &&
    x.type === 'compare' &&
    Array.isArray(x.runs) &&
    x.runs.every((r) => isRecord(r) && isExperimentRow(r.row) && isEventArray(r.events))
  );
}

function isRunDirList(x: unknown, min: number): x is string[] {
  return (
    Array.isArray(x) &&
    x.length >= min &&
    x.every((d) => typeof d === 'string' && d !== '') &&
    new Set(x).size === x.length
  );
}

/** Validates a message received by the host from the (untrusted) table page. */
export function isExperimentsWebviewMessage(x: unknown): x is ExperimentsWebviewMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'open-runs':
      return isRunDirList(x.runDirs, 1);
    case 'compare-runs':
      return isRunDirList(x.runDirs, 2);
    default:
      return false;
  }
}

/** The compared runs in a persisted compare-page state, or undefined when there are not two. */
export function persistedCompareRunDirs(state: unknown): string[] | undefined {
  return isRecord(state) && isRunDirList(state.runDirs, 2) ? state.runDirs : undefined;
}
