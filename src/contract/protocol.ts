/**
 * The message protocol between the dashboard's host panel (src/extension/dashboard) and its
 * webview (src/webview). Both sides import this one module; the webview only for types and
 * the pure guards below, so the browser bundle stays free of Node code.
 *
 * Flow: the webview posts `ready` when it has mounted; the host answers with a `snapshot`
 * (every event so far plus `lastSeq`), then streams `events` deltas. A webview that sees a
 * gap in `seq` posts `resync` and the host answers with the missing events or a snapshot.
 *
 * Every message is checked on receipt: the webview's messages are untrusted input for the
 * host, and the host's messages cross a process boundary.
 */
import type { BomfEvent, BomfEventType } from './events';

/** Same values as the host's run registry `RunState`. */
export type DashboardRunState =
  | 'running'
  | 'done'
  | 'failed'
  | 'stopped'
  | 'interrupted'
  | 'unsupported';
const RUN_STATES: readonly DashboardRunState[] = [
  'running',
  'done',
  'failed',
  'stopped',
  'interrupted',
  'unsupported',
];

/** Full state of a run: replaces whatever the webview held. */
export interface SnapshotMessage {
  type: 'snapshot';
  runDir: string;
  name: string;
  state: DashboardRunState;
  events: BomfEvent[];
  /** `seq` of the last event sent, -1 when there is none. */
  lastSeq: number;
}

/** Events appended since the last message; `fromSeq` is the first event's `seq`. */
export interface EventsMessage {
  type: 'events';
  fromSeq: number;
  events: BomfEvent[];
}

/** The run's lifecycle state changed (e.g. running → done, or interrupted on reload). */
export interface RunStateMessage {
  type: 'run-state';
  state: DashboardRunState;
}

export type HostToWebviewMessage = SnapshotMessage | EventsMessage | RunStateMessage;

export interface ReadyMessage {
  type: 'ready';
}

/** The webview missed events: send again from `fromSeq` on. */
export interface ResyncMessage {
  type: 'resync';
  fromSeq: number;
}

/** "Export this fused model" on a fusion evaluation of the Pareto plot. */
export interface ExportFusedMessage {
  type: 'export-fused';
  /** Fusion weights, one per checkpoint. */
  weights: number[];
  /** Index of the fusion-eval event. */
  evalIndex: number;
}

export interface RevealRunMessage {
  type: 'reveal-run';
}

export type WebviewToHostMessage =
  | ReadyMessage
  | ResyncMessage
  | ExportFusedMessage
  | RevealRunMessage;

/** Every event type of the log; the Record makes the compiler flag a missing one. */
const EVENT_TYPES: Record<BomfEventType, true> = {
  'run-start': true,
  'stage-start': true,
  'stage-end': true,
  'trial-start': true,
  'train-progress': true,
  'train-eval': true,
  'trial-end': true,
  checkpoint: true,
  'fusion-eval': true,
  'fusion-start': true,
  job: true,
  'pareto-update': true,
  selection: true,
  baseline: true,
  'baseline-eval': true,
  log: true,
  'data-summary': true,
  error: true,
  'run-end': true,
};

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isSeq(x: unknown): x is number {
  return Number.isInteger(x) && (x as number) >= 0;
}

/**
 * Shallow check of an event: a known `type` and an integer `seq`. The engine is the only
 * writer of the log, so the fields of each type are trusted once the shape is right.
 */
export function isEventLike(x: unknown): x is BomfEvent {
  return (
    isRecord(x) && typeof x.type === 'string' && Object.hasOwn(EVENT_TYPES, x.type) && isSeq(x.seq)
  );
}

export function isEventArray(x: unknown): x is BomfEvent[] {
  return Array.isArray(x) && x.every(isEventLike);
}

export function isRunState(x: unknown): x is DashboardRunState {
  return typeof x === 'string' && (RUN_STATES as readonly string[]).includes(x);
}

/** Validates a message received by the webview. */
export function isHostToWebviewMessage(x: unknown): x is HostToWebviewMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'snapshot':
      return (
        typeof x.runDir === 'string' &&
        typeof x.name === 'string' &&
        isRunState(x.state) &&
        isEventArray(x.events) &&
        Number.isInteger(x.lastSeq) &&
        (x.lastSeq as number) >= -1
      );
    case 'events':
      return (
        isSeq(x.fromSeq) &&
        isEventArray(x.events) &&
        (x.events.length === 0 || x.events[0]!.seq === x.fromSeq)
      );
    case 'run-state':
      return isRunState(x.state);
    default:
      return false;
  }
}

/** Validates a message received by the host from the (untrusted) webview. */
export function isWebviewToHostMessage(x: unknown): x is WebviewToHostMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'reveal-run':
      return true;
    case 'resync':
      return isSeq(x.fromSeq);
    case 'export-fused':
      return (
        Array.isArray(x.weights) &&
        x.weights.length > 0 &&
        x.weights.every((w) => typeof w === 'number' && Number.isFinite(w)) &&
        isSeq(x.evalIndex)
      );
    default:
      return false;
  }
}

/** For the `default` branch of exhaustive switches over message types. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/** What the page keeps with `setState`; the host's panel serializer reads `runDir` back. */
export interface DashboardPersistedState {
  runDir: string;
  /** Fusion-eval index of the selected Pareto point. */
  selectedEval?: number;
  /** Dimension keys of the Pareto plot's x and y axes. */
  paretoAxes?: [string, string];
  /** Hyperparameter shown in the stage-1 scatter. */
  param?: string;
}

/** The run folder in a persisted webview state, or undefined when there is none. */
export function persistedRunDir(state: unknown): string | undefined {
  return isRecord(state) && typeof state.runDir === 'string' && state.runDir !== ''
    ? state.runDir
    : undefined;
}
