/**
 * Seeded `kill -9`s across every stage. Each run is killed `killsPerRun` times,
 * each time at a point drawn from one phase of the uninterrupted run (stage 1,
 * stage 2, stage 3, baselines, the report after run-end) plus a random delay,
 * resumed after each kill, and finally resumed to the end; then it must hold
 * every promise of support.ts:checkFinished.
 */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Random } from '../../src/bo';
import type { BomfEvent } from '../../src/contract/events';
import { bomf, checkFinished, config, onlyRunDir, runEvents, startBomf } from './support';

export const PHASES = ['search', 'train', 'fusion', 'baselines', 'report'] as const;
type Phase = (typeof PHASES)[number];

/** An event's identity across processes: everything but when it was written. */
function identity(e: BomfEvent): string {
  const { seq: _seq, time: _time, ...rest } = e as BomfEvent & { seconds?: number };
  delete (rest as { seconds?: number }).seconds;
  return JSON.stringify(rest);
}

/** Reference event indices of each phase. */
function phaseRanges(reference: readonly BomfEvent[]): Record<Phase, number[]> {
  const ranges = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<
    Phase,
    number[]
  >;
  let phase: Phase | undefined;
  reference.forEach((e, i) => {
    if (e.type === 'stage-start') phase = e.stage;
    if (e.type === 'run-end') phase = 'report';
    if (phase && e.type !== 'run-start') ranges[phase].push(i);
  });
  return ranges;
}

export interface KillRecord {
  run: number;
  phase: Phase;
  /** The reference event after which the kill was aimed, and the delay after it. */
  target: string;
  delayMs: number;
  /** Whether the process was still running when the kill came (else it had finished). */
  killed: boolean;
}

/**
 * Runs `bomf` (run or resume) until it writes an event at or past reference index
 * `target`, waits `delayMs`, then kills it with SIGKILL.
 */
async function killAfter(
  args: string[],
  positions: Map<string, number>,
  target: number,
  delayMs: number,
): Promise<boolean> {
  let armed = false;
  const arm = (child: ChildProcess) => {
    armed = true;
    setTimeout(() => child.kill('SIGKILL'), delayMs);
  };
  const { exited } = startBomf(args, (e, child) => {
    if (!armed && (positions.get(identity(e)) ?? -1) >= target) arm(child);
  });
  const { code } = await exited;
  return code === null;
}

export async function killRuns(opts: {
  work: string;
  reference: readonly BomfEvent[];
  runs: number;
  killsPerRun: number;
  seed: number;
  log: (line: string) => void;
}): Promise<{ kills: KillRecord[]; broken: string[] }> {
  const { reference } = opts;
  const positions = new Map<string, number>();
  reference.forEach((e, i) => {
    if (!positions.has(identity(e))) positions.set(identity(e), i);
  });
  const ranges = phaseRanges(reference);
  const random = new Random(opts.seed);
  const kills: KillRecord[] = [];
  const broken: string[] = [];
  for (let r = 0; r < opts.runs; r++) {
    // Phases for this run's kills, in order; rotating so every phase is hit about equally often.
    const phases = Array.from(
      { length: opts.killsPerRun },
      (_, j) => PHASES[(r * opts.killsPerRun + j) % PHASES.length]!,
    ).sort((a, b) => PHASES.indexOf(a) - PHASES.indexOf(b));
    const outDir = path.join(opts.work, `kill-${r}`);
    const before: BomfEvent[][] = [];
    let runDir: string | undefined;
    for (const phase of phases) {
      const range = ranges[phase];
      const target = range[random.integer(range.length)]!;
      const delayMs = phase === 'report' ? random.integer(40) : random.integer(400);
      const args = runDir ? ['resume', runDir] : ['run', config, '--out', outDir];
      const killed = await killAfter(args, positions, target, delayMs);
      runDir ??= onlyRunDir(outDir);
      before.push(runEvents(runDir));
      const aimed = reference[target]!;
      kills.push({ run: r, phase, target: `${aimed.type}#${target}`, delayMs, killed });
      opts.log(
        `  run ${r}: kill -9 in ${phase} after ${aimed.type} #${target} + ${delayMs} ms${killed ? '' : ' (had finished)'}`,
      );
    }
    const last = bomf(['resume', runDir!]);
    if (last.status !== 0)
      broken.push(`run ${r}: the final resume exited ${last.status}: ${last.stderr}`);
    else broken.push(...checkFinished(runDir!, reference, before).map((b) => `run ${r}: ${b}`));
  }
  return { kills, broken };
}
