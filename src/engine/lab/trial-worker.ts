/**
 * Stage-1 trials in worker processes, so `search.parallel: n` trains n proxies
 * at once (TF.js on wasm uses one core per process). The parent forks the engine
 * with the hidden `__trial` command and talks to it over IPC; the worker builds
 * its own lab from the run's resolved config and runs one trial in-process.
 */
import { fork } from 'node:child_process';
import type { Hyperparameters, ProxySpec, TrainHooks } from '../pipeline/lab';
import { RunStopped } from '../pipeline/lab';

export type ParentMessage =
  | { type: 'start'; runDir: string; params: Hyperparameters; proxy: ProxySpec }
  | { type: 'stop' };

export type WorkerMessage =
  | { type: 'progress'; progress: Parameters<TrainHooks['onProgress']>[0] }
  | { type: 'eval'; evaluation: Parameters<TrainHooks['onEval']>[0] }
  | { type: 'done'; objective: number; bestStep: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

/** The script that starts the engine (bin/bomf.js or dist/engine.js). */
function engineEntry(): string {
  const entry = require.main?.filename;
  if (!entry) throw new Error('cannot locate the engine entry point to start trial workers');
  return entry;
}

export function runTrialInWorker(
  runDir: string,
  params: Hyperparameters,
  proxy: ProxySpec,
  hooks: TrainHooks,
  signal: AbortSignal,
): Promise<{ objective: number; bestStep: number }> {
  const child = fork(engineEntry(), ['__trial'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const send = (m: ParentMessage) => child.connected && child.send(m);
  const onAbort = () => send({ type: 'stop' });
  signal.addEventListener('abort', onAbort);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
    };
    child.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'progress':
          hooks.onProgress(m.progress);
          break;
        case 'eval':
          hooks.onEval(m.evaluation);
          break;
        case 'done':
          settle(() => resolve({ objective: m.objective, bestStep: m.bestStep }));
          break;
        case 'failed':
          settle(() => reject(new Error(m.message)));
          break;
        case 'stopped':
          settle(() => reject(new RunStopped()));
          break;
      }
    });
    child.on('exit', (code, sig) =>
      settle(() =>
        reject(new Error(`trial worker exited (${sig ?? code}) before reporting a result`)),
      ),
    );
    child.on('error', (err) => settle(() => reject(err)));
    send({ type: 'start', runDir, params, proxy });
  });
}
