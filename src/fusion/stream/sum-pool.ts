/**
 * Worker threads that share streaming fusion's sums: a block's elements are split into ranges,
 * one per thread, the main thread taking the first. Inputs and the accumulator live in
 * SharedArrayBuffers, so nothing is copied. The workers run `sumLoops` from its source text, which
 * works the same from the TypeScript sources (tests, benches) and from the bundled engine.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { float32Table } from '../../train/safetensors-dtypes';
import { type MemberValues, sumLoops } from './sum-loops';

/**
 * Threads summing at once: BOMF_FUSION_THREADS, else the cores up to 4 (each worker costs a V8
 * isolate's memory).
 */
export function fusionThreads(env = process.env): number {
  const asked = Number(env.BOMF_FUSION_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 16);
  return Math.max(1, Math.min(os.availableParallelism(), 4));
}

/** Below this many elements a block is summed by the main thread alone: messages would cost more. */
const MIN_SPLIT = 1 << 16;
/** Ranges start at multiples of this (the loops' cache slices). */
const ALIGN = 4096;

// esbuild with keepNames (tsx) wraps named inner functions in __name(): a no-op here.
const WORKER_SOURCE = `
const __name = (f) => f;
const { parentPort } = require('node:worker_threads');
const { sumRange } = (${sumLoops.toString()})();
parentPort.on('message', (m) => {
  try {
    sumRange(m.acc, m.values, m.w, m.table, m.from, m.to);
    parentPort.postMessage({ id: m.id });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.stack) || err) });
  }
});
`;

interface Waiting {
  resolve(): void;
  reject(err: Error): void;
}

export class SumPool {
  private readonly loops = sumLoops();
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly tables = new Map<'F16' | 'BF16', Float32Array>();
  private ids = 0;

  /** `threads` in all, the main thread included; workers start with the first large block. */
  constructor(private readonly threads: number) {}

  private startWorkers(): void {
    for (let t = this.workers.length + 1; t < this.threads; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (m: { id: number; error?: string }) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.error) w?.reject(new Error(`fusion worker: ${m.error}`));
        else w?.resolve();
      });
      const fail = (err: Error) => {
        for (const w of this.waiting.values()) w.reject(err);
        this.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a fusion worker exited (code ${code})`)));
      this.workers.push(worker);
    }
  }

  /** The decoding table of 16-bit codes in shared memory, so that posting it copies nothing. */
  table(dtype: 'F16' | 'BF16'): Float32Array {
    let shared = this.tables.get(dtype);
    if (!shared) {
      shared = new Float32Array(new SharedArrayBuffer(65536 * 4));
      shared.set(float32Table(dtype));
      this.tables.set(dtype, shared);
    }
    return shared;
  }

  /** acc[0, count) = Σ_k w[k] · values[k][0, count) (shared memory when there are workers). */
  async sum(
    acc: Float64Array,
    values: MemberValues[],
    w: number[],
    table: Float32Array | null,
    count: number,
  ): Promise<void> {
    if (this.threads === 1 || count < MIN_SPLIT) {
      this.loops.sumRange(acc, values, w, table, 0, count);
      return;
    }
    this.startWorkers();
    const per = Math.ceil(count / (this.workers.length + 1) / ALIGN) * ALIGN;
    const parts = this.workers.flatMap((worker, j) => {
      const from = (j + 1) * per;
      if (from >= count) return [];
      const id = this.ids++;
      const done = new Promise<void>((resolve, reject) =>
        this.waiting.set(id, { resolve, reject }),
      );
      worker.postMessage({ id, acc, values, w, table, from, to: Math.min(from + per, count) });
      return [done];
    });
    this.loops.sumRange(acc, values, w, table, 0, Math.min(per, count));
    // Every range settles before a failure is reported: no thread still writes into acc.
    const results = await Promise.allSettled(parts);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
