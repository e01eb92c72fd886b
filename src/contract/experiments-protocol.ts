/**
 * The experiments table's rows and its host<->webview messages (src/extension/experiments-table
 * and src/webview/view/experiments-page.ts). The host folds every run it knows and sends the
 * rows whole; the table is small (one row per run), so a snapshot per change is simpler and
 * as cheap as deltas. Both sides check what they receive, as in protocol.ts.
 */
import { type DashboardRunState, isRecord, isRunState } from './protocol';

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
