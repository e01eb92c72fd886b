// Runs on a real single-node Slurm cluster (scripts/test-slurm.sh starts it and
// sets SLURM_CONF): examples/tiny.bomf.yaml with the Slurm executor, a driver
// killed with SIGKILL while its jobs run then resumed, and a job cancelled from
// outside, and a driver killed between sbatch and the job event. `sbatch` is
// wrapped on PATH to count submissions (and to make that kill).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { BomfEvent, JobEvent } from '../../src/contract/events';
import { parseEventLog } from '../../src/contract/read-event-log';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'bomf.js');
const examples = path.join(root, 'examples');

let work: string;
let env: NodeJS.ProcessEnv;

before(() => {
  assert.ok(process.env.SLURM_CONF, 'run through npm run test:slurm (it starts the cluster)');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-slurm-'));
  const wrapped = path.join(work, 'bin');
  fs.mkdirSync(wrapped);
  const real = spawnSync('sh', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).stdout.trim();
  // Counts submissions. With BOMF_KILL_DRIVER_AFTER_SBATCH (a folder name, created once), it
  // kills the driver (its parent) once sbatch has queued the job, before the driver reads the
  // id: the window between sbatch and the job event, with no hook in the engine.
  fs.writeFileSync(
    path.join(wrapped, 'sbatch'),
    `#!/bin/sh
echo "$@" >> "$BOMF_SBATCH_LOG"
out=$(${real} "$@") || exit $?
echo "$out"
if [ -n "\${BOMF_KILL_DRIVER_AFTER_SBATCH:-}" ] && mkdir "$BOMF_KILL_DRIVER_AFTER_SBATCH" 2>/dev/null; then
  kill -KILL $PPID
fi
`,
    { mode: 0o755 },
  );
  env = { ...process.env, PATH: `${wrapped}:${process.env.PATH}` };
});

/** examples/tiny.bomf.yaml with absolute data paths, the given executor and overrides. */
function tinyConfig(name: string, executor: string, replace: [string, string][] = []): string {
  let text = fs
    .readFileSync(path.join(examples, 'tiny.bomf.yaml'), 'utf8')
    .replaceAll('data/sst2/', `${path.join(examples, 'data', 'sst2')}/`);
  for (const [from, to] of replace) text = text.replace(from, to);
  const file = path.join(work, `${name}.bomf.yaml`);
  fs.writeFileSync(file, `${text}executor: ${executor}\n`);
  return file;
}

const SLURM = '{ kind: slurm, slots: 2, pollSeconds: 2 }';

function events(runDir: string): BomfEvent[] {
  return parseEventLog(fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')).events;
}

function ofType<T extends BomfEvent['type']>(evs: BomfEvent[], type: T) {
  return evs.filter((e): e is Extract<BomfEvent, { type: T }> => e.type === type);
}

function bomf(args: string[], sbatchLog: string) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...env, BOMF_SBATCH_LOG: sbatchLog },
  });
}

function onlyRun(out: string): string {
  return path.join(out, fs.readdirSync(out)[0]!);
}

function submissions(sbatchLog: string): string[] {
  return fs.existsSync(sbatchLog) ? fs.readFileSync(sbatchLog, 'utf8').trim().split('\n') : [];
}

/** Starts `bomf run` in the background and resolves once `until` holds for its log. */
async function runUntil(
  config: string,
  out: string,
  sbatchLog: string,
  until: (evs: BomfEvent[]) => boolean,
) {
  const child = spawn(process.execPath, [bin, 'run', config, '--out', out], {
    env: { ...env, BOMF_SBATCH_LOG: sbatchLog },
    stdio: 'ignore',
  });
  for (let i = 0; i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const dirs = fs.existsSync(out) ? fs.readdirSync(out) : [];
    if (dirs.length > 0 && fs.existsSync(path.join(out, dirs[0]!, 'events.jsonl'))) {
      if (until(events(onlyRun(out)))) return child;
    }
  }
  child.kill('SIGKILL');
  throw new Error('the run never reached the awaited state');
}

test('tiny with the Slurm executor and 2 slots finishes with the same kinds of results as a local run', () => {
  const slurmLog = path.join(work, 'sbatch-tiny.log');
  const slurm = bomf(
    ['run', tinyConfig('tiny-slurm', SLURM), '--out', path.join(work, 'slurm')],
    slurmLog,
  );
  assert.equal(slurm.status, 0, slurm.stderr);
  const local = bomf(
    [
      'run',
      tinyConfig('tiny-local', '{ kind: local, slots: 1 }'),
      '--out',
      path.join(work, 'local'),
    ],
    path.join(work, 'sbatch-unused.log'),
  );
  assert.equal(local.status, 0, local.stderr);
  const s = events(onlyRun(path.join(work, 'slurm')));
  const l = events(onlyRun(path.join(work, 'local')));
  const kinds = (evs: BomfEvent[]) =>
    [...new Set(evs.map((e) => e.type))].filter((t) => t !== 'job').sort();
  assert.deepEqual(kinds(s), kinds(l));
  for (const [a, b] of [
    [ofType(s, 'trial-end').length, ofType(l, 'trial-end').length],
    [ofType(s, 'fusion-eval').length, ofType(l, 'fusion-eval').length],
    [ofType(s, 'baseline').length, ofType(l, 'baseline').length],
  ]) {
    assert.equal(a, b);
  }
  assert.ok(ofType(s, 'trial-end').every((e) => e.status === 'done'));
  assert.equal(ofType(s, 'run-end').at(-1)!.status, 'done');
  // Every trial and searched evaluation was a Slurm job, submitted once, named after the run.
  const jobs = ofType(s, 'job');
  assert.ok(jobs.every((j) => j.executor === 'slurm' && /^\d+$/.test(j.jobId)));
  const runId = path.basename(onlyRun(path.join(work, 'slurm')));
  const subs = submissions(slurmLog);
  assert.equal(subs.length, 2 + 6);
  assert.ok(subs.every((line) => line.includes(`--job-name=${runId}-`)));
  assert.ok(
    fs.existsSync(path.join(onlyRun(path.join(work, 'slurm')), 'jobs', 'trial-0', 'stderr.log')),
  );
});

test('kill -9 of the driver while jobs run, then resume: the run finishes and no unit is submitted twice', async () => {
  const sbatchLog = path.join(work, 'sbatch-kill.log');
  const out = path.join(work, 'kill');
  const config = tinyConfig('tiny-kill', SLURM, [['budget: 6', 'budget: 4']]);
  const child = await runUntil(config, out, sbatchLog, (evs) =>
    ofType(evs, 'job').some((j) => j.unit === 'trial-1' && j.state === 'queued'),
  );
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const r = bomf(['resume', onlyRun(out)], sbatchLog);
  assert.equal(r.status, 0, r.stderr);
  const evs = events(onlyRun(out));
  assert.equal(ofType(evs, 'run-end').at(-1)!.status, 'done');
  const trials = ofType(evs, 'trial-start').length;
  const searched = ofType(evs, 'fusion-start').length;
  assert.equal(trials + searched, 2 + 4);
  assert.equal(
    submissions(sbatchLog).length,
    trials + searched,
    'each unit submitted exactly once',
  );
  const reattached = ofType(evs, 'job').filter((j) => j.reattached);
  assert.ok(
    reattached.some((j) => j.unit.startsWith('trial-')),
    'the running trials were reattached',
  );
});

test('kill -9 of the driver between sbatch and the job event, then resume: the job is found by its name, none submitted twice', async () => {
  const sbatchLog = path.join(work, 'sbatch-window.log');
  const out = path.join(work, 'window');
  const marker = path.join(work, 'killed-after-sbatch');
  const config = tinyConfig('tiny-window', SLURM, [['budget: 6', 'budget: 2']]);
  const child = spawn(process.execPath, [bin, 'run', config, '--out', out], {
    env: { ...env, BOMF_SBATCH_LOG: sbatchLog, BOMF_KILL_DRIVER_AFTER_SBATCH: marker },
    stdio: 'ignore',
  });
  const signal = await new Promise((r) => child.once('exit', (_code, sig) => r(sig)));
  assert.equal(signal, 'SIGKILL');
  const runDir = onlyRun(out);
  const queued = ofType(events(runDir), 'job').filter((j) => j.state === 'queued');
  assert.ok(
    queued.length < submissions(sbatchLog).length,
    'the kill landed in the window: a job queued that the log does not name',
  );
  const r = bomf(['resume', runDir], sbatchLog);
  assert.equal(r.status, 0, r.stderr);
  const evs = events(runDir);
  assert.equal(ofType(evs, 'run-end').at(-1)!.status, 'done');
  assert.ok(ofType(evs, 'trial-end').every((e) => e.status === 'done'));
  const units = ofType(evs, 'trial-start').length + ofType(evs, 'fusion-start').length;
  assert.equal(units, 2 + 2);
  // Bug caught: resume submitting the unit whose job event the kill prevented a second time.
  assert.equal(submissions(sbatchLog).length, units, 'each unit submitted exactly once');
  assert.ok(
    ofType(evs, 'job').some((j) => j.unit.startsWith('trial-') && j.reattached),
    'the trial queued before the kill was reattached',
  );
});

test('a job cancelled from outside is recorded as failed and the run goes on', async () => {
  const sbatchLog = path.join(work, 'sbatch-cancel.log');
  const out = path.join(work, 'cancel');
  const config = tinyConfig('tiny-cancel', SLURM, [['budget: 6', 'budget: 3']]);
  let victim: JobEvent | undefined;
  const child = await runUntil(config, out, sbatchLog, (evs) => {
    victim = ofType(evs, 'job').find((j) => j.unit === 'trial-0' && j.state === 'running');
    return victim !== undefined;
  });
  spawnSync('scancel', [victim!.jobId]);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  assert.equal(code, 0);
  const evs = events(onlyRun(out));
  const trial0 = ofType(evs, 'trial-end').find((e) => e.trial === 0)!;
  assert.equal(trial0.status, 'failed');
  assert.match(trial0.error!, /cancel/i);
  assert.equal(ofType(evs, 'trial-end').find((e) => e.trial === 1)!.status, 'done');
  assert.equal(ofType(evs, 'run-end').at(-1)!.status, 'done');
});
