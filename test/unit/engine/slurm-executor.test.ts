// SlurmExecutor against stand-in `sbatch`/`squeue`/`scancel` scripts on PATH
// (the real single-node cluster runs in `npm run test:slurm`): the batch script
// passes argv intact, the exit-code file decides the outcome, a job the queue no
// longer knows is resubmitted on reattach, and a cancel from outside is named.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { JOB_FILES, type JobReport, type JobSpec } from '../../../src/engine/executor/executor';
import { runJob } from '../../../src/engine/executor/run-job';
import { SlurmExecutor } from '../../../src/engine/executor/slurm';

let shims: string;

before(() => {
  shims = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-slurm-shims-'));
  const write = (name: string, body: string) =>
    fs.writeFileSync(path.join(shims, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  // sbatch: runs the script in the background with --output/--error, prints a job id.
  write(
    'sbatch',
    `echo "$@" >> "${shims}/sbatch.log"
id=$(( $(cat "${shims}/next" 2>/dev/null || echo 100) + 1 )); echo $id > "${shims}/next"
for a in "$@"; do case $a in --output=*) out=\${a#--output=};; --error=*) err=\${a#--error=};; --job-name=*) name=\${a#--job-name=};; esac; script=$a; done
SLURM_JOB_ID=$id sh "$script" >> "$out" 2>> "$err" &
echo $! > "${shims}/pid-$id"
echo "$id $name" >> "${shims}/names"
echo "$id;cluster"`,
  );
  // squeue -h -j ID --states=all -o %T: a forced state, RUNNING while the script lives, else unknown.
  write(
    'squeue',
    `for a in "$@"; do case $a in --name=*) name=\${a#--name=};; esac; done
# --name: the ids submitted under it whose script still lives (the queue forgets the rest).
if [ -n "$name" ]; then
  grep " $name$" "${shims}/names" | while read -r id _; do
    pid=$(cat "${shims}/pid-$id"); [ -r /proc/$pid/stat ] && [ "$(cut -d' ' -f3 /proc/$pid/stat)" != Z ] && echo $id
  done
  exit 0
fi
id=$3
if [ -f "${shims}/state-$id" ]; then cat "${shims}/state-$id"; exit 0; fi
pid=$(cat "${shims}/pid-$id" 2>/dev/null)
# Alive and not a zombie (nobody may reap the orphaned script).
if [ -n "$pid" ] && [ -r /proc/$pid/stat ] && [ "$(cut -d' ' -f3 /proc/$pid/stat)" != Z ]; then echo RUNNING; exit 0; fi
echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1`,
  );
  write(
    'scancel',
    `echo CANCELLED > "${shims}/state-$1"; kill -TERM $(cat "${shims}/pid-$1") 2>/dev/null; exit 0`,
  );
  process.env.PATH = `${shims}:${process.env.PATH}`;
});

function executor(): SlurmExecutor {
  return new SlurmExecutor({ slots: 2, pollSeconds: 0.2, partition: 'debug' }, 'run-7');
}

function spec(argv: string[]): JobSpec {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-sjob-'));
  return { name: 'trial-3', argv, cwd: dir, dir, env: { GREETING: "it's" } };
}

test('a job gets its argv and environment intact through the batch script, and its exit code decides', async () => {
  const s = spec([
    process.execPath,
    '-e',
    'console.log(process.argv[1], process.env.GREETING); process.exit(4)',
    `a 'quoted' $HOME "word"`,
  ]);
  const job = await executor().submit(s);
  assert.equal(job.id, String(Number(fs.readFileSync(path.join(shims, 'next'), 'utf8'))));
  assert.deepEqual(await job.ended, { kind: 'exited', code: 4 });
  assert.equal(
    fs.readFileSync(path.join(s.dir, JOB_FILES.stdout), 'utf8'),
    `a 'quoted' $HOME "word" it's\n`,
  );
  const args = fs.readFileSync(path.join(shims, 'sbatch.log'), 'utf8').trim().split('\n').at(-1)!;
  assert.match(args, /--parsable/);
  assert.match(args, /--job-name=run-7-trial-3/);
  assert.match(args, /--partition=debug/);
  assert.ok(args.includes(`--output=${path.join(s.dir, JOB_FILES.stdout)}`));
});

test('reattach: a finished job gives its exit code; one the queue forgot without an outcome is resubmitted', async () => {
  const s = spec([process.execPath, '-e', 'process.exit(0)']);
  const job = await executor().submit(s);
  await job.ended;
  assert.deepEqual(await (await executor().reattach(s, job.id))!.ended, {
    kind: 'exited',
    code: 0,
  });
  fs.rmSync(path.join(s.dir, JOB_FILES.exitCode));
  assert.equal(await executor().reattach(s, job.id), undefined);
});

test('a running job is reattached, and a cancel from outside ends it as killed, naming scancel', async () => {
  const s = spec([process.execPath, '-e', 'setInterval(() => {}, 1000)']);
  const job = await executor().submit(s);
  const again = await executor().reattach(s, job.id);
  assert.ok(again, 'a live job is reattached, not resubmitted');
  fs.writeFileSync(path.join(shims, `state-${job.id}`), 'CANCELLED\n');
  process.kill(Number(fs.readFileSync(path.join(shims, `pid-${job.id}`), 'utf8')), 'SIGTERM');
  const end = await again.ended;
  assert.equal(end.kind, 'killed');
  assert.match(end.kind === 'killed' ? end.reason : '', /cancelled outside bomf/);
});

test('a job killed from outside while the queue still says COMPLETING is named cancelled once the queue settles', async () => {
  const s = spec([process.execPath, '-e', 'setInterval(() => {}, 1000)']);
  const job = await executor().submit(s);
  const state = path.join(shims, `state-${job.id}`);
  // Once the wrapper runs the program (and forwards a TERM to it).
  while (!fs.existsSync(path.join(s.dir, JOB_FILES.started))) await sleep(50);
  await sleep(300);
  // As on a real cluster right after scancel: the program is dead, Slurm is still cleaning up.
  fs.writeFileSync(state, 'COMPLETING\n');
  process.kill(Number(fs.readFileSync(path.join(shims, `pid-${job.id}`), 'utf8')), 'SIGTERM');
  setTimeout(() => fs.writeFileSync(state, 'CANCELLED\n'), 1000);
  const end = await job.ended;
  // Bug caught: the transient state taken for the reason ('Slurm job N COMPLETING: killed by signal 15').
  assert.match(end.kind === 'killed' ? end.reason : '', /cancelled outside bomf/);
});

test('a job that vanishes from the queue without writing its exit code ends as killed', async () => {
  const s = spec([process.execPath, '-e', 'setInterval(() => {}, 1000)']);
  const job = await executor().submit(s);
  // SIGKILL to the whole script: nothing is left to write exit-code, as on a failed node.
  const pid = Number(fs.readFileSync(path.join(shims, `pid-${job.id}`), 'utf8'));
  await new Promise((r) => setTimeout(r, 300));
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
  // The wrapper first, so that nothing is left to write exit-code.
  process.kill(pid, 'SIGKILL');
  for (const p of children) process.kill(Number(p), 'SIGKILL');
  const end = await job.ended;
  assert.equal(end.kind, 'killed');
  assert.match(end.kind === 'killed' ? end.reason : '', /vanished from the queue/);
});

test('a job sbatch queued but the log never recorded (driver killed in between) is found by its unique name, not submitted again', async () => {
  const s = spec([process.execPath, '-e', 'setTimeout(() => process.exit(6), 1500)']);
  const log = path.join(shims, 'sbatch.log');
  const count = () => fs.readFileSync(log, 'utf8').trim().split('\n').length;
  // The driver that submitted it died before writing the job event: no recorded id.
  const lost = await executor().submit(s);
  const before = count();
  const watch = (reports: JobReport[]) => ({
    onJob: (e: JobReport) => reports.push(e),
    signal: new AbortController().signal,
  });
  const reports: JobReport[] = [];
  const end = await runJob(executor(), s, watch(reports));
  // Bugs caught: a resume that submits again (a second sbatch), or one that drops the intent.
  assert.equal(count(), before, 'no second sbatch');
  assert.deepEqual(reports[0], { jobId: lost.id, state: 'queued', reattached: true });
  assert.deepEqual(end, { kind: 'exited', code: 6 });
  // It finished and the queue forgot it: its exit code is the outcome, still no resubmission.
  const again: JobReport[] = [];
  assert.deepEqual(await runJob(executor(), s, watch(again)), { kind: 'exited', code: 6 });
  assert.equal(count(), before);
  assert.equal(again[0]!.jobId, lost.id, 'the id the job wrote when it started');
  // No trace at all (it never ran, no exit code): then, and only then, it is submitted again.
  fs.rmSync(path.join(s.dir, JOB_FILES.exitCode));
  fs.rmSync(path.join(s.dir, JOB_FILES.started));
  const fresh: JobReport[] = [];
  await runJob(executor(), s, watch(fresh));
  assert.equal(count(), before + 1);
  assert.equal(fresh[0]!.reattached, undefined);
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
