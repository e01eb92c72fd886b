/**
 * A full disk, for real: the run folder on a small tmpfs (needs root), sized to
 * run out of space at a given fraction of what the uninterrupted run writes.
 * The run must fail saying the disk is full (not that its report could not be
 * written), suggest freeing space and resuming, and record nothing torn; after
 * the tmpfs is grown, `bomf resume` must give the same results. Where mounting
 * is not allowed, the same happens in one process through an ENOSPC layer at
 * the k-th write (disk-full-child.ts).
 *
 * diskFullInJobs does it where a job meets the full disk first: two slots, the
 * tmpfs filled up while both stage-1 trials run as jobs. The run must fail
 * (not record the trials failed) and, once space is freed, resume to the end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BomfEvent } from '../../src/contract/events';
import { readSafetensors } from '../../src/train/safetensors';
import {
  bomf,
  checkFinished,
  config,
  ofType,
  onlyRunDir,
  root,
  runEvents,
  startBomf,
  twoSlotConfig,
} from './support';

function sh(cmd: string[]): boolean {
  return spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' }).status === 0;
}

/** Bytes the reference run folder holds. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function checkFailure(runDir: string, code: number | null, stderr: string): string[] {
  const broken: string[] = [];
  if (code !== 1) broken.push(`exit code ${code}, expected 1`);
  if (!/run failed: cannot write .*: the disk is full/.test(stderr))
    broken.push(`no disk-full cause in: ${stderr.trim()}`);
  if (/run failed: cannot write .*report\.(md|json)/.test(stderr))
    broken.push('the report error hides the cause');
  if (!/free some space .*then resume with: bomf resume /.test(stderr))
    broken.push('no free-space-then-resume hint');
  for (const c of ofType(runEvents(runDir), 'checkpoint')) {
    try {
      readSafetensors(path.join(runDir, c.file));
    } catch (err) {
      broken.push(`checkpoint event ${c.seq} names a broken file: ${(err as Error).message}`);
    }
  }
  return broken;
}

export async function diskFull(opts: {
  work: string;
  reference: readonly BomfEvent[];
  referenceDir: string;
  fractions: number[];
  log: (line: string) => void;
}): Promise<{ cases: string[]; broken: string[]; mode: 'tmpfs' | 'enospc-layer' }> {
  const total = folderBytes(opts.referenceDir);
  const cases: string[] = [];
  const broken: string[] = [];
  const probe = path.join(opts.work, 'mount-probe');
  fs.mkdirSync(probe, { recursive: true });
  const canMount =
    sh(['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]) && sh(['umount', probe]);
  for (const fraction of opts.fractions) {
    const mnt = path.join(opts.work, `full-${fraction}`);
    fs.mkdirSync(mnt, { recursive: true });
    let code: number | null;
    let stderr: string;
    if (canMount) {
      const kib = Math.floor((total * fraction) / 1024);
      sh(['mount', '-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', mnt]);
      const r = bomf(['run', config, '--out', mnt]);
      [code, stderr] = [r.status, r.stderr];
      cases.push(
        `tmpfs of ${(kib / 1024).toFixed(1)} MiB (${Math.round(fraction * 100)}% of the run's ${(total / 2 ** 20).toFixed(1)} MiB)`,
      );
    } else {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(__dirname, 'disk-full-child.ts'),
          config,
          mnt,
          String(fraction),
        ],
        { encoding: 'utf8', cwd: root },
      );
      [code, stderr] = [r.status, r.stderr];
      cases.push(`ENOSPC layer at ${Math.round(fraction * 100)}% of the run's writes`);
    }
    try {
      const runDir = onlyRunDir(mnt);
      const failed = checkFailure(runDir, code, stderr);
      if (canMount) sh(['mount', '-o', 'remount,size=1g', mnt]);
      const r = bomf(['resume', runDir]);
      if (r.status !== 0) failed.push(`resume after freeing space exited ${r.status}: ${r.stderr}`);
      else failed.push(...checkFinished(runDir, opts.reference, []));
      broken.push(...failed.map((b) => `${cases.at(-1)}: ${b}`));
      opts.log(
        `  ${cases.at(-1)}: ${failed.length === 0 ? 'failed cleanly, resumed identically' : failed.join('; ')}`,
      );
    } finally {
      if (canMount) sh(['umount', mnt]);
    }
  }
  return { cases, broken, mode: canMount ? 'tmpfs' : 'enospc-layer' };
}

/** Fills the file system of `file` to the last byte: big chunks, then ever smaller ones. */
function fillUp(file: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let chunk = 2 ** 20; chunk >= 512; chunk /= 2) {
      const buf = Buffer.alloc(chunk, 1);
      for (;;) {
        try {
          fs.writeSync(fd, buf);
        } catch {
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Exit codes the jobs of a run folder recorded (their exit-code files are the truth). */
function jobExitCodes(runDir: string): number[] {
  const jobs = path.join(runDir, 'jobs');
  if (!fs.existsSync(jobs)) return [];
  return fs.readdirSync(jobs).flatMap((unit) => {
    try {
      return [Number(fs.readFileSync(path.join(jobs, unit, 'exit-code'), 'utf8').trim())];
    } catch {
      return [];
    }
  });
}

/**
 * Two slots, a tmpfs filled to the last byte as soon as both stage-1 jobs run
 * (before they write anything): a job meets the full disk, records exit code 75
 * in the bytes reserved for it, and the run fails naming the disk; after the
 * filler is removed, `bomf resume` finishes with every trial done. Needs root (tmpfs).
 */
export async function diskFullInJobs(opts: {
  work: string;
  reference: readonly BomfEvent[];
  log: (line: string) => void;
}): Promise<{ cases: string[]; broken: string[] }> {
  const mnt = path.join(opts.work, 'full-in-jobs');
  fs.mkdirSync(mnt, { recursive: true });
  if (!sh(['mount', '-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', mnt])) {
    opts.log('  full disk inside jobs: skipped (mounting a tmpfs needs root)');
    return { cases: [], broken: [] };
  }
  const what = 'two slots, tmpfs filled while both stage-1 jobs run';
  const broken: string[] = [];
  try {
    // A dot-file: onlyRunDir does not take it for a run folder.
    const filler = path.join(mnt, '.filler');
    let running = 0;
    const { exited } = startBomf(['run', twoSlotConfig, '--out', mnt], (e) => {
      if (e.type === 'job' && e.state === 'running' && ++running === 2) fillUp(filler);
    });
    const { code, stderr } = await exited;
    const runDir = onlyRunDir(mnt);
    if (running < 2) broken.push('the two stage-1 jobs never ran together');
    if (code !== 1) broken.push(`exit code ${code}, expected 1`);
    if (!/run failed: .*(the disk is full|could not write to the run folder)/.test(stderr))
      broken.push(`no disk-full cause in: ${stderr.trim()}`);
    if (!/free some space .*then resume with: bomf resume /.test(stderr))
      broken.push('no free-space-then-resume hint');
    const codes = jobExitCodes(runDir);
    if (!codes.includes(75))
      broken.push(`no job recorded the infrastructure exit code 75 (exit codes: ${codes})`);
    const failedTrials = ofType(runEvents(runDir), 'trial-end').filter(
      (e) => e.status === 'failed',
    );
    if (failedTrials.length > 0)
      broken.push(`trials recorded failed: ${failedTrials.map((e) => e.error).join('; ')}`);
    fs.rmSync(filler);
    const r = bomf(['resume', runDir]);
    if (r.status !== 0) broken.push(`resume after freeing space exited ${r.status}: ${r.stderr}`);
    else broken.push(...checkFinished(runDir, opts.reference, [], 'kinds'));
    opts.log(
      `  ${what}: ${broken.length === 0 ? `failed cleanly (jobs exited ${codes.join(', ')}), resumed with every trial done` : broken.join('; ')}`,
    );
  } finally {
    sh(['umount', mnt]);
  }
  return { cases: [what], broken: broken.map((b) => `${what}: ${b}`) };
}
