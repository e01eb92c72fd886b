/**
 * Streaming fusion (issue 11 item 4): K synthetic F16 checkpoints of S GiB each (default K = 8,
 * S = 1; env BOMF_BENCH_FUSE_K, BOMF_BENCH_FUSE_GIB, folder BOMF_BENCH_FUSE_DIR, default the
 * system temp folder) are fused with equal weights in a child process (bench/fuse-child.ts).
 * Reported: the child's peak RSS (target < 256 MiB whatever the model size) and its throughput as
 * a ratio to `cat` reading the same files into /dev/null in the same run (target ≥ 0.5), medians
 * of BOMF_BENCH_FUSE_ROUNDS (3) rounds; beside it `cat` while another process keeps one core
 * busy, and the fusion reading its members through the page cache (BOMF_FUSION_DIRECT=0). The
 * page cache is dropped before each when we may (root), else the table says the caches were warm.
 * Beside it, the usual way: load every member whole and sum (bench/fuse.bench.py, PyTorch on one
 * thread, numpy when torch is missing), for memory; BOMF_BENCH_FUSE_BASELINE=0 skips it.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SafetensorsStreamWriter } from '../src/fusion/stream/writer';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const SIDE = 4096; // a 4096×4096 F16 weight is 32 MiB: several fusion chunks

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  vmHwm: number | null;
  maxRss: number;
}

/** Random finite F16 codes (exponent bit 14 cleared: |x| < 2), different for each seed. */
function randomHalves(count: number, seed: number): Uint8Array {
  const words = new Uint32Array(count / 2);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = (s >>> 0) & 0xbfffbfff;
  }
  return new Uint8Array(words.buffer);
}

function writeMember(dir: string, layers: number, seed: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const tensors = [];
  for (let i = 0; i < layers; i++) {
    tensors.push({ name: `layers.${i}.weight`, dtype: 'F16' as const, shape: [SIDE, SIDE] });
    tensors.push({ name: `layers.${i}.bias`, dtype: 'F16' as const, shape: [SIDE] });
  }
  const weight = randomHalves(SIDE * SIDE, seed);
  const writer = new SafetensorsStreamWriter(path.join(dir, 'model.safetensors'), tensors, {
    format: 'pt',
  });
  for (let i = 0; i < layers; i++) {
    writer.write(weight);
    writer.write(weight.subarray(0, SIDE * 2));
  }
  writer.finish();
  fs.writeFileSync(path.join(dir, 'config.json'), '{"model_type": "synthetic"}\n');
}

/** Drops the page cache (root only) so reads come from the disk; false when not allowed. */
function dropCaches(): boolean {
  spawnSync('sync');
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

/** MemAvailable (free memory plus reclaimable page cache), else os.freemem(). */
function availableMemory(): number {
  try {
    const kib = fs.readFileSync('/proc/meminfo', 'utf8').match(/^MemAvailable:\s+(\d+) kB/m);
    if (kib) return Number(kib[1]) * 1024;
  } catch {
    // not Linux
  }
  return os.freemem();
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function catSeconds(files: string[]): number {
  const devNull = fs.openSync('/dev/null', 'w');
  try {
    return seconds(() => {
      const r = spawnSync('cat', files, { stdio: ['ignore', devNull, 'inherit'] });
      if (r.status !== 0) throw new Error('cat failed');
    });
  } finally {
    fs.closeSync(devNull);
  }
}

/**
 * The same bytes read around the page cache (`dd iflag=direct`, 4 MiB reads, one process per
 * file, all at once): the disk's own read limit, which `cat` reaches only when the page cache
 * is cheap (on the development VM its cost swings tenfold: docs/benchmarks.md).
 */
async function directDdSeconds(files: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(
    files.map(
      (file) =>
        new Promise<void>((resolve, reject) => {
          const dd = spawn('dd', [`if=${file}`, 'of=/dev/null', 'bs=4M', 'iflag=direct'], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          dd.stderr.on('data', (d) => {
            err += d;
          });
          dd.on('error', reject);
          dd.on('close', (code) =>
            code === 0 ? resolve() : reject(new Error(`dd ${file} failed: ${err.trim()}`)),
          );
        }),
    ),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * `measure` run while a separate process spins on one core (pure arithmetic, no memory traffic).
 * On the 2-vCPU development VM that alone makes reads two to three times slower and costlier
 * (docs/benchmarks.md): the read speed a fusion, which must compute while it reads, can expect.
 */
function besideBusyCore(measure: () => number): number {
  const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  try {
    spawnSync('sleep', ['0.2']);
    return measure();
  } finally {
    spinner.kill('SIGKILL');
  }
}

/** Fuses `members` into `out` in a child process (bench/fuse-child.ts) and returns its report. */
function fuseInChild(members: string[], out: string, env = process.env): ChildResult {
  fs.rmSync(out, { recursive: true, force: true });
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fuse-child.ts'), out, ...members],
    { encoding: 'utf8', maxBuffer: 16 * MiB, env },
  );
  if (child.status !== 0) throw new Error(`fusion child failed: ${child.stderr}`);
  return lastJsonLine(child.stdout, 'the fusion child') as unknown as ChildResult;
}

function seconds(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function lastJsonLine(stdout: string, what: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${what} printed no result: ${stdout.slice(-500)}`);
  }
}

export async function run(): Promise<void> {
  const K = Number(process.env.BOMF_BENCH_FUSE_K ?? 8);
  let gib = Number(process.env.BOMF_BENCH_FUSE_GIB ?? 1);
  const root = process.env.BOMF_BENCH_FUSE_DIR ?? os.tmpdir();
  const stat = fs.statfsSync(root);
  const free = stat.bavail * stat.bsize;
  const needed = (K + 1) * gib * GiB + 2 * GiB;
  if (needed > free) {
    const fits = Math.floor(((free - 2 * GiB) / (K + 1) / GiB) * 8) / 8;
    console.log(
      `only ${(free / GiB).toFixed(1)} GiB free in ${root}: members scaled to ${fits} GiB`,
    );
    gib = fits;
  }
  const layers = Math.max(1, Math.round((gib * GiB) / (SIDE * SIDE * 2 + SIDE * 2)));
  const dir = fs.mkdtempSync(path.join(root, 'bomf-fuse-bench-'));
  try {
    const members = Array.from({ length: K }, (_, k) => path.join(dir, `m${k}`));
    const writeSeconds = seconds(() => {
      for (const [k, m] of members.entries()) writeMember(m, layers, k + 1);
    });
    const files = members.map((m) => path.join(m, 'model.safetensors'));
    const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);

    // Rounds of cat, cat beside a busy core, fusion (each from a dropped page cache), medians
    // reported: on a virtual machine one read of the same files varies two- to threefold.
    const rounds = Math.max(1, Number(process.env.BOMF_BENCH_FUSE_ROUNDS ?? 3));
    const cats: number[] = [];
    const busyCats: number[] = [];
    const directReads: number[] = [];
    const fusions: ChildResult[] = [];
    const cachedFusions: ChildResult[] = [];
    let cold = true;
    for (let r = 0; r < rounds; r++) {
      cold = dropCaches() && cold;
      cats.push(catSeconds(files));
      dropCaches();
      busyCats.push(besideBusyCore(() => catSeconds(files)));
      dropCaches();
      directReads.push(await directDdSeconds(files));
      dropCaches();
      fusions.push(fuseInChild(members, path.join(dir, 'fused')));
      dropCaches();
      const cached = { ...process.env, BOMF_FUSION_DIRECT: '0' };
      cachedFusions.push(fuseInChild(members, path.join(dir, 'fused'), cached));
    }
    const outBytes = fs.statSync(path.join(dir, 'fused', 'model.safetensors')).size;
    if (outBytes !== fs.statSync(files[0]!).size) throw new Error('fused file has the wrong size');
    fs.rmSync(path.join(dir, 'fused'), { recursive: true });
    const catMedian = median(cats);
    const busyCatSeconds = median(busyCats);
    const directSeconds = median(directReads);
    const medianRun = (runs: ChildResult[]) =>
      [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(rounds / 2)]!;
    const fused = medianRun(fusions);
    const fusedCached = medianRun(cachedFusions);

    const peak = Math.max(...[...fusions, ...cachedFusions].map((f) => f.vmHwm ?? f.maxRss));
    const ratio = catMedian / fused.seconds;
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    console.log(
      `members: ${K} × ${(bytes / K / GiB).toFixed(3)} GiB F16 (${layers} × [${SIDE}, ${SIDE}] + biases), written in ${writeSeconds.toFixed(1)} s`,
    );
    console.log(
      `page cache: ${cold ? 'dropped before each cat and each fusion' : 'NOT dropped (not root): warm caches'}; medians of ${rounds} rounds`,
    );
    const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
    console.log(`load average before the python baseline: ${load} (${os.cpus().length} cores)\n`);
    console.log('| measure | value | target |');
    console.log('|---|---|---|');
    console.log(
      `| cat > /dev/null | ${catMedian.toFixed(1)} s (${(bytes / catMedian / MiB).toFixed(0)} MiB/s; rounds ${list(cats)}) | |`,
    );
    console.log(
      `| cat > /dev/null while another process keeps one core busy | ${busyCatSeconds.toFixed(1)} s (${(bytes / busyCatSeconds / MiB).toFixed(0)} MiB/s; rounds ${list(busyCats)}) | |`,
    );
    console.log(
      `| dd iflag=direct, one per member, all at once (the disk without the page cache) | ${directSeconds.toFixed(1)} s (${(bytes / directSeconds / MiB).toFixed(0)} MiB/s; rounds ${list(directReads)}) | |`,
    );
    console.log(
      `| streaming fusion | ${fused.seconds.toFixed(1)} s (${(bytes / fused.seconds / MiB).toFixed(0)} MiB/s read), CPU ${fused.cpuSeconds.toFixed(1)} s; rounds ${list(fusions.map((f) => f.seconds))} | |`,
    );
    console.log(
      `| streaming fusion, members read through the page cache (BOMF_FUSION_DIRECT=0) | ${fusedCached.seconds.toFixed(1)} s, CPU ${fusedCached.cpuSeconds.toFixed(1)} s; rounds ${list(cachedFusions.map((f) => f.seconds))} | |`,
    );
    console.log(
      `| throughput ratio fusion / cat | ${ratio.toFixed(2)} | ≥ 0.5 ${ratio >= 0.5 ? 'met' : 'NOT met'} |`,
    );
    console.log(
      `| ratio fusion / dd iflag=direct | ${(directSeconds / fused.seconds).toFixed(2)} | (the same target against the disk's own limit) |`,
    );
    console.log(
      `| ratio fusion / cat beside a busy core | ${(busyCatSeconds / fused.seconds).toFixed(2)} | (the disk's limit while the CPU works) |`,
    );
    console.log(
      `| peak RSS of the fusion process | ${(peak / MiB).toFixed(0)} MiB (VmHWM; maxRSS ${(fused.maxRss / MiB).toFixed(0)} MiB) | < 256 MiB ${peak < 256 * MiB ? 'met' : 'NOT met'} |`,
    );

    if (process.env.BOMF_BENCH_FUSE_BASELINE === '0') {
      console.log('| load-all baseline | skipped (BOMF_BENCH_FUSE_BASELINE=0) | |');
      return;
    }
    // The members whole, the fused model and a few float32 temporaries.
    const memoryNeeded = bytes * 1.3 + GiB;
    const available = availableMemory();
    if (available < memoryNeeded && !process.env.BOMF_BENCH_FUSE_FORCE_PYTHON) {
      console.log(
        `| load-all baseline | skipped: needs ~${(memoryNeeded / GiB).toFixed(0)} GiB, ${(available / GiB).toFixed(0)} GiB available | |`,
      );
      return;
    }
    const py = spawnSync('/usr/bin/python3', [path.join(__dirname, 'fuse.bench.py'), ...members], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    if (py.status !== 0) {
      console.log(`| load-all baseline | failed: ${py.stderr.trim().split('\n').pop()} | |`);
      return;
    }
    const base = lastJsonLine(py.stdout, 'fuse.bench.py') as {
      library: string;
      torch_threads: number | null;
      seconds: number;
      maxRss: number;
    };
    console.log(
      `| load-all-and-sum baseline (${base.library}, torch threads ${base.torch_threads ?? '-'}, OMP/OPENBLAS 1) | ${base.seconds.toFixed(1)} s, peak RSS ${(base.maxRss / MiB).toFixed(0)} MiB | |`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
