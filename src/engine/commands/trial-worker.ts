/** The hidden `__trial` command: one stage-1 trial in a worker process (see lab/trial-worker.ts). */
import type { Command } from 'commander';
import { loadTfLab } from '../lab/tf-lab';
import type { ParentMessage, WorkerMessage } from '../lab/trial-worker';
import { RunStopped } from '../pipeline/lab';
import { openRunFolder } from '../store/run-folder';

async function runOne(
  m: Extract<ParentMessage, { type: 'start' }>,
  signal: AbortSignal,
): Promise<WorkerMessage> {
  const { config } = openRunFolder(m.runDir);
  const reply = (msg: WorkerMessage) => process.send?.(msg);
  const lab = await loadTfLab(config);
  try {
    const result = await lab.runTrial(
      m.params,
      m.proxy,
      {
        onProgress: (progress) => reply({ type: 'progress', progress }),
        onEval: (evaluation) => reply({ type: 'eval', evaluation }),
      },
      signal,
    );
    return { type: 'done', ...result };
  } catch (err) {
    return err instanceof RunStopped
      ? { type: 'stopped' }
      : { type: 'failed', message: (err as Error).message };
  } finally {
    lab.dispose();
  }
}

export function registerTrialWorkerCommand(program: Command): void {
  program.command('__trial', { hidden: true }).action(
    () =>
      new Promise<void>((done) => {
        const controller = new AbortController();
        // The parent stops workers over IPC; a terminal's SIGINT reaches the whole
        // process group, and the parent decides what to do about it.
        process.on('SIGINT', () => {});
        process.on('message', (m: ParentMessage) => {
          if (m.type === 'stop') return controller.abort();
          runOne(m, controller.signal).then((result) => {
            process.send?.(result, () => {
              process.disconnect?.();
              done();
            });
          });
        });
      }),
  );
}
