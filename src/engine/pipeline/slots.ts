/**
 * Keeps up to `width` units of work in flight (trials, fusion evaluations):
 * whenever one finishes, the next is suggested and started. Suggestions read
 * the event log — finished units as observations in the order they finished,
 * started-but-unfinished units as pending points — so q adapts to the free
 * slots and the state at every suggestion is a function of the log alone: a
 * resumed run replays it, given the order of completions the log recorded.
 */
import type { JobEvent } from '../../contract/events';
import { INFRASTRUCTURE_FAILURE_EXIT } from '../executor/executor';
import { type RunContext, throwIfStopped } from './context';
import type { JobHooks } from './lab';

export interface SlotPlan<U> {
  /** Units in flight (suggested, not finished): the batch size q. */
  width: number;
  /** Units that run at once (the lab's slots); the rest of the batch waits its turn. */
  concurrency: number;
  /** Units an earlier driver started and never finished: they run first, as they were. */
  unfinished: U[];
  /** Whether the budget allows starting another unit. */
  more(): boolean;
  /** Suggests the next unit from the log and records its start. */
  next(): U;
  /** Runs a unit and records its end; rejects only to end the stage (stop, fatal error). */
  run(unit: U): Promise<void>;
  signal: AbortSignal;
}

export async function runInSlots<U>(plan: SlotPlan<U>): Promise<void> {
  const queue = [...plan.unfinished];
  const inFlight = new Map<number, Promise<number>>();
  let ids = 0;
  let failure: unknown;
  // Units wait in start order for one of `concurrency` turns.
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = async (unit: U) => {
    if (running >= plan.concurrency) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      await plan.run(unit);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  const launch = (unit: U) => {
    const id = ids++;
    inFlight.set(
      id,
      turn(unit).then(
        () => id,
        (err) => {
          failure ??= err;
          return id;
        },
      ),
    );
  };
  for (;;) {
    // Once a unit failed or a stop came, start nothing more; let the others end.
    while (failure === undefined && !plan.signal.aborted && inFlight.size < plan.width) {
      const unit = queue.length > 0 ? queue.shift() : plan.more() ? plan.next() : undefined;
      if (unit === undefined) break;
      launch(unit);
    }
    if (inFlight.size === 0) break;
    inFlight.delete(await Promise.race(inFlight.values()));
  }
  if (failure !== undefined) throw failure;
  await throwIfStopped(plan.signal);
}

/** Job hooks of one unit: its job events go to the log, and the last one names the job to reattach to. */
export function unitJob(ctx: RunContext, stage: JobEvent['stage'], unit: string): JobHooks {
  const last = ctx.log
    .ofType('job')
    .filter((e) => e.unit === unit)
    .at(-1);
  // A job the run's own stop cancelled is not the unit's outcome: start the unit again.
  const stopped = last?.state === 'ended' && last.stopped === true;
  return {
    unit,
    ...(stopped ? { afresh: true } : { recordedId: last?.jobId }),
    onJob: (e) =>
      ctx.log.append({
        type: 'job',
        unit,
        stage,
        executor: ctx.config.executor?.kind ?? 'local',
        ...e,
      }),
  };
}

/**
 * Whether a unit's last job ended without success (a kill, a cancel from outside,
 * a crash). One that stopped on an infrastructure failure (a full disk) did not
 * fail: it failed the run, and the unit runs again on resume; nor did one the
 * run's own stop cancelled.
 */
export function jobFailed(ctx: RunContext, unit: string): boolean {
  const last = ctx.log
    .ofType('job')
    .filter((e) => e.unit === unit)
    .at(-1);
  return (
    last?.state === 'ended' &&
    last.stopped !== true &&
    last.exitCode !== 0 &&
    last.exitCode !== INFRASTRUCTURE_FAILURE_EXIT
  );
}
