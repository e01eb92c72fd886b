/**
 * Scale-out (`npm run bench -- scale`), issue 12.
 *
 * 1. Wall time of stage 1 and stage 3 of the main job (examples/sst2-quick.bomf.yaml) with 1 and
 *    2 local slots and 2 Slurm slots, as speed-ups against 1 slot measured in the same run. One
 *    full run with 1 slot (baselines off) gives the 1-slot times and the stage-2 checkpoints; each
 *    other arm is a copy of that run folder with stages 1 and 3 erased from its log and its
 *    executor changed, resumed: it reruns exactly stages 1 and 3 on the same checkpoints. The
 *    Slurm arm starts a single-node cluster with scripts/slurm-local.sh (root, Debian packages).
 *    SCALE_BENCH_TIMING=0 skips this part (it takes about three main jobs' stage 1 and 3);
 *    SCALE_BENCH_CONFIG=examples/tiny.bomf.yaml times a smaller job.
 * 2. Batch versus sequential BO at equal evaluation counts, as the slot loop runs it: q
 *    evaluations in flight, the oldest finishes, the next suggestion conditions on the q − 1
 *    still pending. Branin median regret (5 Sobol + 30) and BraninCurrin median hypervolume
 *    (6 Sobol + 30, ref [18, 6]) for q = 1, 2, 4 over BO_BENCH_SEEDS seeds (default 10);
 *    SCALE_BENCH_MO_SEEDS sets BraninCurrin's seeds, SCALE_BENCH_Q the batch sizes;
 *    SCALE_BENCH_BO=0 skips this part.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { BayesOptimizer } from '../src/bo/optimizer';
import type { BomfEvent } from '../src/contract/events';
import { parseEventLog } from '../src/contract/read-event-log';
import { branin, braninCurrin, hvMin, summary, unitBox } from './bo-multi.bench';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'bomf.js');
const SEEDS = Number(process.env.BO_BENCH_SEEDS ?? 10);
/** BraninCurrin seeds: its q > 1 steps (qLogNEHVI with pending points) cost most of the suite. */
const MO_SEEDS = Number(process.env.SCALE_BENCH_MO_SEEDS ?? SEEDS);
/** Batch sizes to compare (a comma list), e.g. to run them as separate processes. */
const QS = (process.env.SCALE_BENCH_Q ?? '1,2,4').split(',').map(Number);
/** The job whose stages are timed (default: the README's main job). */
const TIMED_CONFIG = process.env.SCALE_BENCH_CONFIG ?? 'examples/sst2-quick.bomf.yaml';
const BRANIN_MIN = 0.397887;

/** Runs `total` evaluations keeping q in flight; `observe` gets them oldest first. */
function asyncBatch(
  opt: BayesOptimizer,
  q: number,
  total: number,
  f: (point: number[]) => number[],
): number[][] {
  const inFlight: { x: number[]; point: number[] }[] = [];
  const values: number[][] = [];
  let issued = 0;
  while (values.length < total) {
    while (inFlight.length < q && issued < total) {
      const [s] = opt.suggest(1);
      inFlight.push(s!);
      issued++;
    }
    const done = inFlight.shift()!;
    const y = f(done.point);
    values.push(y);
    opt.observe(
      done.x,
      y.map((v) => -v),
    );
  }
  return values;
}

function braninRegret(q: number, seed: number): number {
  const opt = new BayesOptimizer({
    domain: unitBox(2),
    objectives: 1,
    seed,
    initialDesign: 5,
    acquisition: 'logei',
  });
  const ys = asyncBatch(opt, q, 35, ([a, b]) => [branin(15 * a! - 5, 15 * b!)]);
  return Math.min(...ys.map((y) => y[0]!)) - BRANIN_MIN;
}

function braninCurrinHV(q: number, seed: number): number {
  const ref = [18, 6];
  const opt = new BayesOptimizer({
    domain: unitBox(2),
    objectives: 2,
    seed,
    initialDesign: 6,
    refPoint: ref.map((v) => -v),
  });
  return hvMin(asyncBatch(opt, q, 36, braninCurrin), ref);
}

function boQuality(): void {
  console.log(
    `Batch vs sequential BO, equal evaluation counts, ${SEEDS} seeds (median, spread):\n`,
  );
  console.log(
    '| q | Branin regret (35 evals, lower is better) | BraninCurrin HV (36 evals, higher is better) | seconds |',
  );
  console.log('|---|---|---|---|');
  for (const q of QS) {
    const t0 = Date.now();
    const regrets: number[] = [];
    const hvs: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) regrets.push(braninRegret(q, seed));
    for (let seed = 0; seed < MO_SEEDS; seed++) hvs.push(braninCurrinHV(q, seed));
    const regret = summary(regrets, (x) => x.toPrecision(2));
    console.log(
      `| ${q} | ${regret} | ${summary(hvs)} | ${((Date.now() - t0) / 1000).toFixed(0)} |`,
    );
  }
}

function events(runDir: string): BomfEvent[] {
  return parseEventLog(fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')).events;
}

function stageSeconds(runDir: string): { search: number; fusion: number } {
  const ends = events(runDir).filter((e) => e.type === 'stage-end');
  const of = (stage: string) => {
    const e = ends.filter((x) => x.type === 'stage-end' && x.stage === stage).at(-1);
    if (e?.type !== 'stage-end' || e.status !== 'done')
      throw new Error(`${runDir}: no ${stage} stage-end`);
    return e.seconds;
  };
  return { search: of('search'), fusion: of('fusion') };
}

/**
 * How a stage's jobs used the slots, read from its job events: `occupancy` is the
 * jobs' summed lifetimes (queued to ended) over slots × the stage's wall time, so
 * ≈ 1 means the slots were never idle whatever the machine's load, and ≈ 1/slots
 * that the jobs ran one after the other; `startup` is the median time from a
 * trial job's start to its first training step (Node, TF.js, data, model).
 */
export function slotUse(
  evs: readonly BomfEvent[],
  stage: 'search' | 'fusion',
  slots: number,
): { jobs: number; occupancy: number; startup: number | undefined } {
  const at = (e: BomfEvent) => Date.parse(e.time) / 1000;
  const stageEnd = evs.filter((e) => e.type === 'stage-end' && e.stage === stage).at(-1);
  const stageStart = evs.filter((e) => e.type === 'stage-start' && e.stage === stage).at(-1);
  const jobs = new Map<string, { queued?: number; running?: number; ended?: number }>();
  for (const e of evs) {
    if (e.type !== 'job' || e.stage !== stage) continue;
    const j = jobs.get(e.unit) ?? {};
    j[e.state] ??= at(e);
    jobs.set(e.unit, j);
  }
  const busy = [...jobs.values()].reduce(
    (sum, j) => sum + (j.queued !== undefined && j.ended !== undefined ? j.ended - j.queued : 0),
    0,
  );
  const wall = stageEnd && stageStart ? at(stageEnd) - at(stageStart) : Number.NaN;
  const startups = [...jobs.entries()]
    .map(([unit, j]) => {
      const trial = Number(unit.split('-')[1]);
      const first = evs.find(
        (e) => e.type === 'train-progress' && e.stage === 'search' && e.trial === trial,
      );
      return first && j.running !== undefined ? at(first) - j.running : undefined;
    })
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);
  return {
    jobs: jobs.size,
    occupancy: busy / (slots * wall),
    startup: startups.length > 0 ? startups[Math.floor(startups.length / 2)] : undefined,
  };
}

function bomf(args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`bomf ${args.join(' ')} failed:\n${r.stderr}`);
}

/** A copy of `runDir` whose log keeps only stage 2, with another executor: resuming reruns stages 1 and 3. */
function armFrom(runDir: string, dest: string, executor: Record<string, unknown>): string {
  fs.cpSync(runDir, dest, { recursive: true });
  fs.rmSync(path.join(dest, 'jobs'), { recursive: true, force: true });
  const kept = events(runDir).filter((e) => {
    if (e.type === 'stage-start' || e.type === 'stage-end') return e.stage === 'train';
    if (e.type === 'train-progress' || e.type === 'train-eval') return e.stage === 'train';
    return e.type === 'run-start' || e.type === 'checkpoint' || e.type === 'log';
  });
  fs.writeFileSync(
    path.join(dest, 'events.jsonl'),
    kept.map((e, i) => `${JSON.stringify({ ...e, seq: i })}\n`).join(''),
  );
  const configFile = path.join(dest, 'config.resolved.yaml');
  const config = parse(fs.readFileSync(configFile, 'utf8'));
  fs.writeFileSync(configFile, stringify({ ...config, executor: { pollSeconds: 5, ...executor } }));
  return dest;
}

function loadNow(): string {
  return os.loadavg()[0]!.toFixed(1);
}

function mainJobTiming(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-scale-'));
  const config = path.resolve(root, TIMED_CONFIG);
  const text = fs.readFileSync(config, 'utf8');
  // Beside the original, so that its relative data paths hold.
  const one = path.join(path.dirname(config), `.scale-bench-${process.pid}.bomf.yaml`);
  fs.writeFileSync(one, `${text}baselines: []\nexecutor: { kind: local, slots: 1 }\n`);
  try {
    bomf(['run', one, '--out', path.join(work, 'one')]);
  } finally {
    fs.rmSync(one);
  }
  const base = path.join(work, 'one', fs.readdirSync(path.join(work, 'one'))[0]!);
  // The arms run one after another: the load average beside each tells whether they met the same machine.
  const arms: { name: string; dir: string; slots: number; load: string }[] = [
    { name: '1 local slot', dir: base, slots: 1, load: loadNow() },
  ];
  const two = armFrom(base, path.join(work, 'local-2'), { kind: 'local', slots: 2 });
  const loadBeforeTwo = loadNow();
  bomf(['resume', two]);
  arms.push({ name: '2 local slots', dir: two, slots: 2, load: `${loadBeforeTwo} → ${loadNow()}` });
  // Its own folder under the system's tmp: munged must traverse it (mkdtemp folders are 0700).
  const cluster = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-scale-slurm-'));
  const up = spawnSync('sh', [path.join(root, 'scripts', 'slurm-local.sh'), 'start', cluster], {
    encoding: 'utf8',
  });
  if (up.status === 0) {
    try {
      const env = { ...process.env, SLURM_CONF: path.join(cluster, 'slurm.conf') };
      const slurm = armFrom(base, path.join(work, 'slurm-2'), { kind: 'slurm', slots: 2 });
      const loadBefore = loadNow();
      bomf(['resume', slurm], env);
      arms.push({
        name: '2 Slurm slots',
        dir: slurm,
        slots: 2,
        load: `${loadBefore} → ${loadNow()}`,
      });
    } finally {
      spawnSync('sh', [path.join(root, 'scripts', 'slurm-local.sh'), 'stop', cluster]);
      fs.rmSync(cluster, { recursive: true, force: true });
    }
  } else {
    console.log(`(no Slurm arm: the local cluster did not start: ${up.stderr.trim()})`);
  }
  const t1 = stageSeconds(base);
  console.log(`${TIMED_CONFIG}: stage wall time and speed-up against 1 slot in this run:\n`);
  console.log(
    '| executor | stage 1 s | speed-up | stage 1 slot occupancy | job start s | stage 3 s | speed-up | load (1 min) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const arm of arms) {
    const t = stageSeconds(arm.dir);
    const use = slotUse(events(arm.dir), 'search', arm.slots);
    const occupancy = use.jobs > 0 ? use.occupancy.toFixed(2) : '(in the driver)';
    const startup = use.startup === undefined ? '—' : use.startup.toFixed(1);
    console.log(
      `| ${arm.name} | ${t.search.toFixed(1)} | ${(t1.search / t.search).toFixed(2)}× | ${occupancy} | ${startup} | ${t.fusion.toFixed(1)} | ${(t1.fusion / t.fusion).toFixed(2)}× | ${arm.load} |`,
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(', ');
  console.log(`cores: ${os.availableParallelism()}, load average at start: ${load()}\n`);
  if (process.env.SCALE_BENCH_BO !== '0') boQuality();
  if (process.env.SCALE_BENCH_TIMING !== '0') mainJobTiming();
  console.log(`\nload average at end: ${load()}`);
}
