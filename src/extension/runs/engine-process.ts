/**
 * Runs the bundled engine CLI (dist/engine.js) in a child process: with VS Code's
 * own runtime (`process.execPath` + ELECTRON_RUN_AS_NODE=1) or a Node the user
 * configured. Training never happens in the extension host.
 * vscode-free: settings arrive as plain values.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import type { BomfEvent } from '../../contract/events';
import { JsonLinesReader } from './json-lines';

export interface EngineLocation {
  /** Absolute path of dist/engine.js. */
  enginePath: string;
  /** A Node executable; empty means the editor's own runtime. */
  nodePath?: string;
}

/** The executable, arguments and environment that run `engine <args>`. */
export function engineCommand(
  location: EngineLocation,
  args: readonly string[],
): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const configured = location.nodePath?.trim();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Without it an Electron binary would start a second editor instead of running a script.
  if (!configured) env.ELECTRON_RUN_AS_NODE = '1';
  return { command: configured || process.execPath, args: [location.enginePath, ...args], env };
}

export interface EngineRunOptions {
  location: EngineLocation;
  args: readonly string[];
  cwd: string;
  onEvents(events: BomfEvent[]): void;
  /** Human-readable log text from stderr (and any non-JSON stdout line). */
  onLog(text: string): void;
  onExit(result: { code: number | null; signal: NodeJS.Signals | null }): void;
}

/** Grace period default before SIGKILL; the engine needs it to flush and write run-end. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/** One engine process streaming `--json-events` on stdout. */
export class EngineRun {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private hasExited = false;

  constructor(options: EngineRunOptions) {
    const { command, args, env } = engineCommand(options.location, options.args);
    this.child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = new JsonLinesReader<BomfEvent>();
    const deliver = (batch: { values: BomfEvent[]; rejected: string[] }) => {
      if (batch.values.length > 0) options.onEvents(batch.values);
      for (const line of batch.rejected) options.onLog(`${line}\n`);
    };
    this.child.stdout?.on('data', (chunk: Buffer) => deliver(reader.push(chunk)));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => options.onLog(text));
    this.exited = new Promise((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        this.hasExited = true;
        deliver(reader.end());
        options.onExit({ code, signal });
        resolve();
      };
      // 'close' waits for stdout to drain, so no event is lost after 'exit'.
      this.child.on('close', finish);
      this.child.on('error', (err) => {
        options.onLog(`failed to start the engine (${command}): ${err.message}\n`);
        finish(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.hasExited;
  }

  /**
   * Asks the engine to stop (SIGTERM: it flushes and writes run-end 'stopped'),
   * then kills it if it is still there after `graceMs`. Resolves once it exited.
   */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Resolves when the process has exited and its output is drained. */
  whenExited(): Promise<void> {
    return this.exited;
  }
}

/** Runs a short engine command to completion and returns its output. */
export function runEngineOnce(
  location: EngineLocation,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { command, args: fullArgs, env } = engineCommand(location, args);
  return new Promise((resolve) => {
    execFile(command, fullArgs, { cwd, env, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && !stderr ? err.message : '') });
    });
  });
}
