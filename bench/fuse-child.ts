/**
 * Child process of bench/fuse.bench.ts: fuses the member folders given on the command line with
 * equal weights into OUT and prints one JSON line: seconds spent fusing and peak resident memory
 * (VmHWM from /proc/self/status, and process.resourceUsage().maxRSS), both in bytes.
 * Usage: node --import tsx bench/fuse-child.ts OUT MEMBER...
 */
import * as fs from 'node:fs';
import { fuseModelFolders } from '../src/fusion/stream';

function vmHwmBytes(): number | null {
  try {
    const line = fs.readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return line ? Number(line[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const [out, ...members] = process.argv.slice(2);
  const before = vmHwmBytes();
  const start = process.hrtime.bigint();
  await fuseModelFolders(
    members,
    members.map(() => 1),
    out!,
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      vmHwmBefore: before,
      vmHwm: vmHwmBytes(),
      maxRss: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

main();
