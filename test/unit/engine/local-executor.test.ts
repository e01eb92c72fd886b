import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { JOB_FILES, type JobSpec } from '../../../src/engine/executor/executor';
import { LocalExecutor } from '../../../src/engine/executor/local';

function spec(argv: string[], extra: Partial<JobSpec> = {}): JobSpec {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bomf-job-'));
  return { name: 'job', argv, cwd: dir, dir, ...extra };
}

test('a job runs its argv without a shell, keeps stdout/stderr and writes its exit code', async () => {
  const s = spec([
    'node',
    '-e',
    'console.log(process.argv[1]); console.error("warn"); process.exit(3)',
    '$HOME; echo x',
  ]);
  const job = await new LocalExecutor(1).submit(s);
  assert.deepEqual(await job.ended, { kind: 'exited', code: 3 });
  assert.equal(fs.readFileSync(path.join(s.dir, JOB_FILES.stdout), 'utf8'), '$HOME; echo x\n');
  assert.equal(fs.readFileSync(path.join(s.dir, JOB_FILES.stderr), 'utf8'), 'warn\n');
  // Written over the bytes reserved at submission (room for any status), hence the padding.
  assert.equal(fs.readFileSync(path.join(s.dir, JOB_FILES.exitCode), 'utf8').trim(), '3');
});

test('cancel sends SIGTERM to the group first, then SIGKILL after the grace period', async () => {
  // The program saves on SIGTERM (writes a file) and exits 0.
  const graceful = spec([
    'node',
    '-e',
    'process.on("SIGTERM", () => { require("fs").writeFileSync("saved", "1"); process.exit(0); }); setInterval(() => {}, 1000); console.log("up")',
  ]);
  const executor = new LocalExecutor(1, 2000);
  const job = await executor.submit(graceful);
  await waitFor(() =>
    fs.readFileSync(path.join(graceful.dir, JOB_FILES.stdout), 'utf8').includes('up'),
  );
  await job.cancel();
  assert.deepEqual(await job.ended, { kind: 'killed', reason: 'cancelled' });
  assert.equal(fs.readFileSync(path.join(graceful.dir, 'saved'), 'utf8'), '1');

  // One that ignores SIGTERM is killed once the grace period has passed.
  const stubborn = spec([
    'node',
    '-e',
    'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("up")',
  ]);
  const t0 = Date.now();
  const job2 = await new LocalExecutor(1, 500).submit(stubborn);
  await waitFor(() =>
    fs.readFileSync(path.join(stubborn.dir, JOB_FILES.stdout), 'utf8').includes('up'),
  );
  await job2.cancel();
  assert.equal((await job2.ended).kind, 'killed');
  assert.ok(Date.now() - t0 >= 500, 'SIGKILL came before the grace period');
});

test('a timeout stops the job and says so', async () => {
  const s = spec(['sleep', '30'], { timeoutSeconds: 0.3 });
  const job = await new LocalExecutor(1, 200).submit(s);
  assert.deepEqual(await job.ended, { kind: 'killed', reason: 'timed out after 0.3 s' });
});

test('reattach finds a running job by id, a finished one by its exit code, and refuses a dead id', async () => {
  const executor = new LocalExecutor(1);
  const running = spec(['node', '-e', 'setTimeout(() => process.exit(5), 600)']);
  const first = await executor.submit(running);
  const again = await executor.reattach(running, first.id);
  assert.ok(again, 'a running job is reattached');
  assert.deepEqual(await again.ended, { kind: 'exited', code: 5 });
  // Finished while nobody watched: the exit-code file is the truth.
  const later = await executor.reattach(running, first.id);
  assert.deepEqual(await later?.ended, { kind: 'exited', code: 5 });
  // A job that vanished without an exit code: the caller must resubmit.
  const vanished = spec(['true']);
  assert.equal(await executor.reattach(vanished, '999999999:1'), undefined);
  // A reused pid (another start time) is not our job.
  const other = spec(['sleep', '5']);
  const sleeper = await executor.submit(other);
  const [pid] = sleeper.id.split(':');
  assert.equal(await executor.reattach(spec(['true']), `${pid}:1`), undefined);
  await sleeper.cancel();
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Catches: a driver killed between starting a job and recording its pid starting the unit a
// second time beside the first (both writing one folder), a finished job run again, or a live
// process that is not this folder's job taken for it (a pid written long ago, since reused).
test('recover finds the job whose id was never recorded: running, or its outcome', async () => {
  const executor = new LocalExecutor(1);
  const running = spec(['sleep', '30']);
  const first = await executor.submit(running);
  await waitFor(() => fs.existsSync(path.join(running.dir, JOB_FILES.started)));
  const recovered = await executor.recover(running);
  assert.equal(recovered?.id, first.id, 'the same process, found from its started file');
  // Another folder whose started file names that live process: not its job.
  const elsewhere = spec(['true']);
  fs.copyFileSync(
    path.join(running.dir, JOB_FILES.started),
    path.join(elsewhere.dir, JOB_FILES.started),
  );
  assert.equal(await executor.recover(elsewhere), undefined);
  await recovered!.cancel();
  // Ended while nobody watched: its outcome, from the exit-code file.
  const done = spec(['node', '-e', 'process.exit(4)']);
  await (await executor.submit(done)).ended;
  assert.deepEqual(await (await executor.recover(done))?.ended, { kind: 'exited', code: 4 });
  // Dead without an outcome (killed with its wrapper), or never started: nothing to recover.
  const vanished = spec(['sleep', '30']);
  const doomed = await executor.submit(vanished);
  await waitFor(() => fs.existsSync(path.join(vanished.dir, JOB_FILES.started)));
  process.kill(-Number(doomed.id.split(':')[0]), 'SIGKILL');
  await doomed.ended;
  assert.equal(await executor.recover(vanished), undefined);
  assert.equal(await executor.recover(spec(['true'])), undefined);
});
