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

/**
 * The PostgreSQL backends of this database's sessions, the asking session's own among them: asked
 * from a pool that serves the load (the API's), that session does the work too.
 */
export const DATABASE_SESSION_PIDS_SQL = 'SELECT pid FROM pg_stat_activity WHERE datname = current_database()';

/** The same without the asking session: asked from an onlooker's own connection, which serves no load. */
export const OTHER_DATABASE_SESSION_PIDS_SQL = `${DATABASE_SESSION_PIDS_SQL} AND pid <> pg_backend_pid()`;

/** CPU milliseconds per unit of work (a request, a page). */
export interface CpuPerUnit {
  /** In the API's process; null without one to watch or once it ended. */
  api: number | null;
  /** In the database sessions; null without sessions to watch (PGlite runs inside the API's process). */
  database: number | null;
  /** In this process (the load generator, or a bare query's client). */
  bench: number;
}

export interface CpuMeterTargets {
  apiPid?: number;
  /** The pids of the database sessions doing the work, read at the start and at the finish: a session opened in between counts from zero. */
  sessionPids?: () => Promise<readonly number[]>;
}

export interface CpuMeter {
  /** The CPU since the start per unit of `units`; null without /proc (another OS) or without a unit to divide by. */
  finish(units: number): Promise<CpuPerUnit | null>;
}

/**
 * Starts counting the CPU time of an API process, of database sessions and of this process. A
 * session that ends before the finish (an idle pooled connection closing) is left out.
 */
export async function startCpuMeter(targets: CpuMeterTargets): Promise<CpuMeter> {
  const sessionsBefore = new Map(((await targets.sessionPids?.()) ?? []).map((pid) => [pid, cpuSecondsOfProcess(pid)]));
  const apiBefore = targets.apiPid === undefined ? null : cpuSecondsOfProcess(targets.apiPid);
  const benchBefore = process.cpuUsage();
  return {
    async finish(units) {
      const bench = process.cpuUsage(benchBefore);
      const apiAfter = targets.apiPid === undefined ? null : cpuSecondsOfProcess(targets.apiPid);
      const sessionsAfter = targets.sessionPids === undefined ? null : await targets.sessionPids();
      if (!hasProcStat || units === 0) return null;
      let database = 0;
      for (const pid of new Set([...sessionsBefore.keys(), ...(sessionsAfter ?? [])])) {
        const after = cpuSecondsOfProcess(pid);
        if (after !== null) database += after - (sessionsBefore.get(pid) ?? 0);
      }
      const perUnit = (seconds: number) => (1000 * seconds) / units;
      return {
        api: apiBefore === null || apiAfter === null ? null : perUnit(apiAfter - apiBefore),
        database: sessionsAfter === null ? null : perUnit(database),
        bench: perUnit((bench.user + bench.system) / 1e6),
      };
    },
  };
}
