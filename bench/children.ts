/**
 * What the process benchmarks (sweeps.ts, startup.ts, main.ts) share: a
 * command timed as a fresh child process, wall time and CPU time, the
 * machine's idle time, and the median. CPU time is the child's user +
 * system time from /proc/self/stat's cutime and cstime, which count every
 * thread of a waited-for child (so a sweep's worker threads are in it).
 * Linux only (procfs).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
export const TICKS_PER_S = 100;

/** CPU seconds of this process's waited-for children so far. */
function childCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 3 of stat(5), so cutime (16) and cstime (17) sit at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_S;
}

/** Idle CPU-seconds of the whole machine so far: idle + iowait from /proc/stat's first line. */
export function machineIdle(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  return (Number(fields[4]) + Number(fields[5])) / TICKS_PER_S;
}

/** `node ARGS...` as a fresh process, in seconds of wall and CPU time; throws with its stderr when it fails. */
export function timeNode(args: string[], opts: SpawnSyncOptions = {}): { wall: number; cpu: number } {
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${String(r.stderr).slice(-2000)}`);
  return { wall, cpu: childCpu() - cpu0 };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
