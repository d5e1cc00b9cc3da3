// CPU time of a process from Linux's /proc, for benchmarks that say where the CPU went on a
// machine busy with other work (wall-clock rates there depend on everyone else's load).
import { existsSync, readFileSync } from 'node:fs';

/** Whether this machine has /proc (Linux). */
export const hasProcStat = existsSync('/proc/self/stat');

/** User + system CPU seconds in a /proc stat line (fields 14 and 15, in clock ticks of 1/100 s). */
export function cpuSecondsOf(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's CPU seconds so far, or null once it has ended (or without /proc). */
export function cpuSecondsOfProcess(pid: number): number | null {
  try {
    return cpuSecondsOf(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
}
