/**
 * Who a process is, beyond its pid: a pid is reused once its process is gone,
 * and `kill(pid, 0)` succeeds on a zombie (a killed process not yet reaped). The
 * start time (/proc/PID/stat field 22, in clock ticks since boot) names one
 * process for good, so a lock or a job records `pid:startTicks` and asks whether
 * that very process still runs.
 */
import * as fs from 'node:fs';

/**
 * The process's start time in clock ticks, or undefined when it is gone or a
 * zombie (it has finished; only its exit status waits to be read). Where /proc
 * does not exist (macOS) it is undefined for every pid; `isProcessAlive` then
 * falls back to signal 0.
 */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and ')'; the fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3, the state; 'Z' zombie, 'X' dead.
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

const HAS_PROC = fs.existsSync('/proc/self/stat');

/**
 * Whether process `pid` runs (and, given `startTicks`, is the process that had
 * that start time rather than a later one with a reused pid). Zombies are dead.
 */
export function isProcessAlive(pid: number | undefined, startTicks?: string): boolean {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return false;
  if (HAS_PROC) {
    const ticks = processStartTicks(pid);
    return ticks !== undefined && (startTicks === undefined || ticks === startTicks);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
