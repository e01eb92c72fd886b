/**
 * The fault-injection suite (`npm run test:faults`, after `npm run build`):
 *  1. an uninterrupted reference run of examples/tiny.bomf.yaml;
 *  2. seeded `kill -9`s across every phase, each followed by `bomf resume`
 *     (kill-runs.ts), one final resume racing a second `bomf resume`;
 *  3. a full disk at two points of the run, resumed after space is freed, and one met
 *     by stage-1 jobs running side by side in two slots (disk-full.ts);
 *  4. many processes contending for one run lock (contention.ts).
 * Prints each fault and a summary with the figures docs/reliability.md quotes;
 * exits 1 if any promise was broken.
 * Environment: BOMF_FAULTS_SEED (default: the day), BOMF_FAULTS_RUNS (default 8),
 * BOMF_FAULTS_KILLS (kills per run, default 3).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contention } from './contention';
import { diskFull, diskFullInJobs } from './disk-full';
import { killRuns, PHASES } from './kill-runs';
import { bomf, checkFinished, config, onlyRunDir, runEvents, startBomf } from './support';

const seed = Number(process.env.BOMF_FAULTS_SEED ?? Math.floor(Date.now() / 86_400_000));
const runs = Number(process.env.BOMF_FAULTS_RUNS ?? 8);
const killsPerRun = Number(process.env.BOMF_FAULTS_KILLS ?? 3);

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Two `bomf resume`s of one killed run started together: one runs it, the other is refused. */
async function racingResumes(
  work: string,
  reference: ReturnType<typeof runEvents>,
): Promise<string[]> {
  const outDir = path.join(work, 'race');
  const { child, exited } = startBomf(['run', config, '--out', outDir], (e, c) => {
    if (e.type === 'checkpoint') c.kill('SIGKILL');
  });
  await exited;
  child.removeAllListeners();
  const runDir = onlyRunDir(outDir);
  const before = runEvents(runDir);
  const [a, b] = await Promise.all(
    [1, 2].map(() => startBomf(['resume', runDir], () => {}).exited),
  );
  const codes = [a!.code, b!.code].sort();
  const refused = [a!, b!].find((r) => r.code === 1);
  const broken: string[] = [];
  if (
    codes[0] !== 0 ||
    codes[1] !== 1 ||
    !/is being run by process \d+/.test(refused?.stderr ?? '')
  ) {
    broken.push(`racing resumes: exit codes ${codes}, stderr ${a!.stderr} ${b!.stderr}`);
  }
  broken.push(...checkFinished(runDir, reference, [before]).map((x) => `racing resumes: ${x}`));
  return broken;
}

/**
 * Set once a verdict is printed. Node exits with status 0 when its event loop empties under a
 * promise nobody will settle; without this the suite would then pass having checked nothing.
 */
let verdict = false;
process.on('exit', () => {
  if (verdict) return;
  log('fault suite ended before its verdict: an awaited step never finished');
  process.exitCode = 1;
});

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-faults-'));
  const t0 = Date.now();
  const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(0)} s`;
  log(`fault suite: seed ${seed}, ${runs} runs × ${killsPerRun} kills, work folder ${work}`);

  let t = Date.now();
  const ref = bomf(['run', config, '--out', path.join(work, 'reference')]);
  if (ref.status !== 0) throw new Error(`the reference run failed: ${ref.stderr}`);
  const referenceDir = onlyRunDir(path.join(work, 'reference'));
  const reference = runEvents(referenceDir);
  log(`reference run: ${reference.length} events in ${since(t)}`);

  t = Date.now();
  const killed = await killRuns({ work, reference, runs, killsPerRun, seed, log });
  const landed = killed.kills.filter((k) => k.killed);
  const perPhase = PHASES.map((p) => `${p} ${landed.filter((k) => k.phase === p).length}`).join(
    ', ',
  );
  log(`kill -9: ${landed.length} of ${killed.kills.length} landed (${perPhase}) in ${since(t)}`);

  t = Date.now();
  const race = await racingResumes(work, reference);
  log(
    `racing resumes: ${race.length === 0 ? 'one ran, one was refused' : 'BROKEN'} in ${since(t)}`,
  );

  t = Date.now();
  const full = await diskFull({ work, reference, referenceDir, fractions: [0.2, 0.9], log });
  const inJobs = await diskFullInJobs({ work, reference, log });
  log(`disk full (${full.mode}): ${full.cases.length + inJobs.cases.length} cases in ${since(t)}`);

  t = Date.now();
  const fight = await contention({ work, contenders: 6, rounds: 60 });
  log(
    `lock contention: 6 processes × ${fight.rounds} rounds, ${fight.wins} holds, never two at once: ${fight.broken.length === 0} (${since(t)})`,
  );

  const broken = [...killed.broken, ...race, ...full.broken, ...inJobs.broken, ...fight.broken];
  if (landed.length < 20)
    broken.push(`only ${landed.length} kills landed; at least 20 are required`);
  for (const p of PHASES)
    if (!landed.some((k) => k.phase === p)) broken.push(`no kill landed in ${p}`);
  log(
    `total ${since(t0)}; ${broken.length === 0 ? 'every promise held' : `${broken.length} broken:`}`,
  );
  for (const b of broken) log(`  BROKEN ${b}`);
  if (broken.length === 0) fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = broken.length === 0 ? 0 : 1;
  verdict = true;
}

main().catch((err: Error) => {
  log(`fault suite error: ${err.stack ?? err.message}`);
  process.exitCode = 1;
  verdict = true;
});
