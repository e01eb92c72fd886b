/**
 * Worker threads that share streaming fusion's sums: a block's elements are split into ranges,
 * one per thread, the main thread taking the first. Every thread runs the WebAssembly kernels
 * (simd/fuse.c) on the same shared memory, so members, weights and sums are never copied.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  dtypeCode,
  type FusionMemory,
  fuseModule,
  type MemberTable,
  type SummedDtype,
} from './simd/module';

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
/** Ranges start at multiples of this (only the last range ends off fuse.c's 4-element steps). */
const ALIGN = 4096;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { fuse_range } = new WebAssembly.Instance(workerData.module, {
  env: { memory: workerData.memory },
}).exports;
parentPort.on('message', (m) => {
  try {
    fuse_range(...m.args);
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
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private ids = 0;

  /** `threads` in all, the main thread included; workers start with the first large block. */
  constructor(
    private readonly threads: number,
    private readonly memory: FusionMemory,
  ) {}

  private startWorkers(): void {
    const workerData = { module: fuseModule(), memory: this.memory.memory };
    for (let t = this.workers.length + 1; t < this.threads; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
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

  /**
   * out[0, count) = Σ_k w[k] · member_k[0, count) in `dtype`, the members and weights as `table`
   * holds them (k of them).
   */
  async fuse(
    dtype: SummedDtype,
    out: number,
    table: MemberTable,
    k: number,
    count: number,
  ): Promise<void> {
    // fuse_range's arguments for elements [from, to).
    const args = (from: number, to: number) =>
      [dtypeCode(dtype), out, table.srcs, table.w, k, from, to] as const;
    const { kernels } = this.memory;
    if (this.threads === 1 || count < MIN_SPLIT) {
      kernels.fuse_range(...args(0, count));
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
      worker.postMessage({ id, args: args(from, Math.min(from + per, count)) });
      return [done];
    });
    kernels.fuse_range(...args(0, Math.min(per, count)));
    // Every range settles before a failure is reported: no thread still writes into the output.
    const results = await Promise.allSettled(parts);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
