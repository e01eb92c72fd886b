/**
 * All runs this window knows about, keyed by run folder: the ones it started
 * and the ones found on disk (earlier runs, runs that outlived a window reload,
 * runs started from the CLI). The dashboard and the tree read runs from here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BomfEvent } from '../../contract/events';
import { parseEventLog } from '../../contract/read-event-log';
import type { RunAnnotation } from '../../contract/run-identity';
import { appendAnnotation } from './annotations';
import { type EngineLocation, EngineRun } from './engine-process';
import { EventLogTail } from './log-tail';
import type { RunState } from './run-model';
import { RunSession, STARTING_WINDOW_MS } from './run-session';

export type { RunState } from './run-model';

export interface RunHandle {
  readonly runDir: string;
  readonly name: string;
  readonly events: readonly BomfEvent[];
  readonly state: RunState;
  readonly onDidAppend: vscode.Event<readonly BomfEvent[]>;
}

export interface RunRegistry {
  get(runDir: string): RunHandle | undefined;
  all(): RunHandle[];
  /** A run changed (events or state); undefined when runs were added or removed. */
  readonly onDidChange: vscode.Event<RunHandle | undefined>;
}

export interface RunManagerOptions {
  location: EngineLocation;
  /** Engine stderr and process notes. */
  output: vscode.OutputChannel;
  /** Polling interval for followed logs and liveness checks (ms). */
  pollMs?: number;
}

/** The registry plus the operations that start, stop and discover runs. */
export class RunManager implements RunRegistry, vscode.Disposable {
  private readonly sessions = new Map<string, RunSession>();
  private readonly changeEmitter = new vscode.EventEmitter<RunHandle | undefined>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly lastStates = new Map<string, RunState>();
  private readonly livenessTimer: NodeJS.Timeout;

  constructor(private readonly options: RunManagerOptions) {
    // A followed run whose engine died without run-end becomes 'interrupted'
    // only through this check: no event will ever say so.
    this.livenessTimer = setInterval(() => this.checkStates(), options.pollMs ?? 2000);
  }

  get(runDir: string): RunSession | undefined {
    return this.sessions.get(path.resolve(runDir));
  }

  all(): RunSession[] {
    return [...this.sessions.values()];
  }

  /**
   * Starts `engine run CONFIG [--out RUNS_ROOT] --json-events` (without --out the config's output.dir). Resolves with the run
   * once the engine reported its run folder, or rejects if it exits before that.
   */
  startRun(configFile: string, runsRoot: string | undefined, cwd: string): Promise<RunSession> {
    const out = runsRoot ? ['--out', runsRoot] : [];
    return this.spawn(['run', configFile, ...out, '--json-events'], cwd);
  }

  /** Continues an interrupted or stopped run in its folder. */
  resumeRun(runDir: string, cwd: string): Promise<RunSession> {
    return this.spawn(['resume', runDir, '--json-events'], cwd);
  }

  private spawn(args: string[], cwd: string): Promise<RunSession> {
    const { output, location } = this.options;
    return new Promise((resolve, reject) => {
      let session: RunSession | undefined;
      let early: BomfEvent[] = [];
      let label = 'engine';
      output.appendLine(`$ bomf ${args.join(' ')}`);
      const engine = new EngineRun({
        location,
        args,
        cwd,
        onEvents: (events) => {
          if (!session) {
            early.push(...events);
            const start = early.find((e) => e.type === 'run-start');
            if (start?.type !== 'run-start') return;
            session = this.adopt(start.runDir);
            label = start.name;
            session.attachEngine(engine);
            session.append(early);
            early = [];
            this.changeEmitter.fire(undefined);
            resolve(session);
            return;
          }
          session.append(events);
          this.changed(session);
        },
        onLog: (text) => output.append(prefixLines(label, text)),
        onExit: ({ code, signal }) => {
          output.appendLine(`[${label}] engine exited (${signal ?? `code ${code}`})`);
          if (session) this.changed(session);
          else {
            // A config or setup problem ends the engine before run-start; its error event says why.
            const error = early.find((e) => e.type === 'error');
            const why =
              error?.type === 'error'
                ? error.message
                : `the engine exited (${signal ?? `code ${code}`}) before starting the run`;
            reject(new Error(`${why} (see the BOMF Studio output)`));
          }
        },
      });
    });
  }

  /** The session for `runDir`, created (empty) when new. */
  private adopt(runDir: string): RunSession {
    const key = path.resolve(runDir);
    let session = this.sessions.get(key);
    if (!session) {
      session = new RunSession(key);
      this.sessions.set(key, session);
    }
    return session;
  }

  /**
   * Loads every run folder under `runsRoot` not known yet (and re-reads known ones
   * that this window does not follow). Runs still being written get followed.
   */
  async discover(runsRoot: string): Promise<void> {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(runsRoot, { withFileTypes: true });
    } catch {
      return;
    }
    let added = false;
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const runDir = path.join(runsRoot, entry.name);
      const file = path.join(runDir, 'events.jsonl');
      if (this.sessions.has(path.resolve(runDir)) || !fs.existsSync(file)) continue;
      const { events } = parseEventLog(await fs.promises.readFile(file, 'utf8'));
      const session = this.adopt(runDir);
      session.append(events);
      added = true;
      if (session.state === 'running' || (await isStarting(file, session))) this.follow(session);
    }
    if (added) this.changeEmitter.fire(undefined);
  }

  /** Tails events.jsonl of a run another process is writing. */
  private follow(session: RunSession): void {
    const tail = new EventLogTail(path.join(session.runDir, 'events.jsonl'), {
      onEvents: (events) => {
        session.append(events);
        // run-start names the config, which decides where the run hangs in the tree.
        if (events.some((e) => e.type === 'run-start')) this.changeEmitter.fire(undefined);
        this.changed(session);
      },
      onError: (err) => this.options.output.appendLine(`[${session.name}] ${err.message}`),
      pollMs: this.options.pollMs,
    });
    session.attachTail(tail);
    void tail.start();
  }

  async stop(runDir: string, graceMs: number): Promise<void> {
    const session = this.get(runDir);
    if (!session) return;
    await session.stop(graceMs);
    this.changed(session);
  }

  /** Appends a label or note to the run folder and shows it everywhere the run is named. */
  annotate(runDir: string, kind: RunAnnotation['kind'], text: string): void {
    const session = this.get(runDir);
    if (!session) return;
    appendAnnotation(session.runDir, kind, text);
    session.reloadAnnotations();
    this.changed(session);
  }

  private changed(session: RunSession): void {
    const state = session.state;
    this.lastStates.set(session.runDir, state);
    if (state !== 'running' && session.tailing && !session.ownsProcess) session.stopTailing();
    this.changeEmitter.fire(session);
  }

  private checkStates(): void {
    for (const session of this.sessions.values()) {
      const before = this.lastStates.get(session.runDir);
      if (before !== undefined && before !== 'running') continue;
      if (session.state !== before) this.changed(session);
    }
  }

  dispose(): void {
    clearInterval(this.livenessTimer);
    // Runs are left running on purpose: after a reload the new window follows
    // them through their events.jsonl (stop them from the tree).
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
    this.changeEmitter.dispose();
  }
}

/**
 * A log found before its first line (the watcher reports the file as soon as the
 * engine creates it) belongs to a run that is starting: follow it too.
 */
async function isStarting(file: string, session: RunSession): Promise<boolean> {
  if (session.model.start?.pid !== undefined || session.model.status !== 'running') return false;
  const { mtimeMs } = await fs.promises.stat(file);
  return Date.now() - mtimeMs < STARTING_WINDOW_MS;
}

function prefixLines(label: string, text: string): string {
  return text.replace(/^(?=.)/gm, `[${label}] `);
}
