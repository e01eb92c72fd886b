/**
 * A full disk, for real: the run folder on a small tmpfs (needs root), sized to
 * run out of space at a given fraction of what the uninterrupted run writes.
 * The run must fail saying the disk is full (not that its report could not be
 * written), suggest freeing space and resuming, and record nothing torn; after
 * the tmpfs is grown, `bomf resume` must give the same results. Where mounting
 * is not allowed, the same happens in one process through an ENOSPC layer at
 * the k-th write (disk-full-child.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BomfEvent } from '../../src/contract/events';
import { readSafetensors } from '../../src/train/safetensors';
import { bomf, checkFinished, config, ofType, onlyRunDir, root, runEvents } from './support';

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
