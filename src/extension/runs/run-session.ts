/**
 * One run as the editor knows it: the events read so far, the folded model, and
 * where new events come from — the engine process this window started (stdout)
 * or a tail of events.jsonl (a run started before a reload, or by the CLI).
 */
import * as vscode from 'vscode';
import type { BomfEvent } from '../../contract/events';
import { isProcessAlive } from '../../engine/store/process-identity';
import { readAnnotations } from './annotations';
import type { EngineRun } from './engine-process';
import type { EventLogTail } from './log-tail';
import type { RunHandle } from './registry';
import {
  emptyRunModel,
  foldEvents,
  type RunModel,
  type RunState,
  runName,
  runState,
} from './run-model';

/** How long an events.jsonl without run-start may be a run that is still starting up. */
export const STARTING_WINDOW_MS = 60_000;

export class RunSession implements RunHandle, vscode.Disposable {
  readonly model: RunModel;
  private readonly log: BomfEvent[] = [];
  private readonly appendEmitter = new vscode.EventEmitter<readonly BomfEvent[]>();
  readonly onDidAppend = this.appendEmitter.event;
  private engine: EngineRun | undefined;
  private tail: EventLogTail | undefined;
  private followedAt = 0;

  constructor(readonly runDir: string) {
    this.model = emptyRunModel(runDir);
    this.reloadAnnotations();
  }

  /** Re-reads the label and notes (after an edit here or in another window). */
  reloadAnnotations(): void {
    try {
      this.model.annotations = readAnnotations(this.runDir);
    } catch {
      // An unreadable annotations file hides labels and notes, not the run.
      this.model.annotations = { notes: [] };
    }
  }

  get name(): string {
    return runName(this.model);
  }

  get events(): readonly BomfEvent[] {
    return this.log;
  }

  get state(): RunState {
    // A followed log still waiting for its run-start is a run starting up, for a while.
    if (this.model.start?.pid === undefined && this.model.status === 'running' && this.tail) {
      if (Date.now() - this.followedAt < STARTING_WINDOW_MS) return 'running';
    }
    const alive = this.engine ? this.engine.running : isProcessAlive(this.model.start?.pid);
    return runState(this.model, alive);
  }

  /** Whether this window's engine process is writing the run now. */
  get ownsProcess(): boolean {
    return this.engine?.running ?? false;
  }

  /** Adds events (duplicates by seq are dropped) and tells listeners about the new ones. */
  append(events: readonly BomfEvent[]): void {
    const fresh = events.filter((e) => typeof e.seq !== 'number' || e.seq > this.model.lastSeq);
    if (fresh.length === 0) return;
    foldEvents(this.model, fresh);
    this.log.push(...fresh);
    this.appendEmitter.fire(fresh);
  }

  attachEngine(engine: EngineRun): void {
    this.stopTailing();
    this.engine = engine;
  }

  attachTail(tail: EventLogTail): void {
    this.stopTailing();
    this.tail = tail;
    this.followedAt = Date.now();
  }

  stopTailing(): void {
    this.tail?.dispose();
    this.tail = undefined;
  }

  get tailing(): boolean {
    return this.tail !== undefined;
  }

  /**
   * Stops the run: through the process this window owns, else by signalling the
   * pid its run-start recorded (a run that outlived a reload).
   */
  async stop(graceMs: number): Promise<void> {
    if (this.engine?.running) return this.engine.stop(graceMs);
    const pid = this.model.start?.pid;
    if (!isProcessAlive(pid)) return;
    process.kill(pid!, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isProcessAlive(pid) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    if (isProcessAlive(pid)) process.kill(pid!, 'SIGKILL');
  }

  dispose(): void {
    this.stopTailing();
    this.appendEmitter.dispose();
  }
}
