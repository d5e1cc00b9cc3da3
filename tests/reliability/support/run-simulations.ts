// Runs many seeded simulations against one shared central API and sums up what went wrong.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, type Fault } from './fault-network';
import { startSimCentralApi } from './sim-central-api';
import { simulateRun, type RunResult } from './simulation';

export interface SimulationSummary {
  runs: number;
  /** Outcomes recorded on a desk that never reached the server (and were not rightly dead-lettered). */
  lost: number;
  /** Outcomes stored more than once, or stored without having been recorded. */
  duplicated: number;
  /** Runs whose cache, cursor or outbox broke an invariant. */
  diverged: number;
  recorded: number;
  deadLettered: number;
  crashes: number;
  crashesAfterCommit: number;
  restarts: number;
  faults: Record<Fault, number>;
  failures: RunResult[];
}

export const DEFAULT_FAULT_SEED = 20260707;

/** The summary line `npm run test:faults` ends with. */
export const summaryLine = (s: SimulationSummary) => `runs=${s.runs} lost=${s.lost} duplicated=${s.duplicated} diverged=${s.diverged}`;

export function describeSummary(s: SimulationSummary, seed: number): string {
  const faults = FAULTS.filter((f) => f !== 'none')
    .map((f) => `${f}=${s.faults[f]}`)
    .join(' ');
  return `seed=${seed} outcomes=${s.recorded} dead-lettered=${s.deadLettered} desk-crashes=${s.crashes} (after-commit ${s.crashesAfterCommit}) server-restarts=${s.restarts} faults: ${faults}`;
}

export function describeFailure(r: RunResult): string {
  return [
    `run ${r.run}: lost=${r.lost.length} duplicated=${r.duplicated.length}`,
    ...r.diverged.map((d) => `  diverged: ${d}`),
    `  last steps: ${r.trace.slice(-25).join(' | ')}`,
  ].join('\n');
}

/** Cache files on tmpfs when there is one: the simulation crashes processes, not machines, so fsync adds only time. */
function scratchDir(): string {
  return mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'clm-fault-sim-'));
}

export async function runSimulations(runs: number, seed: number, onRun?: (result: RunResult) => void): Promise<SimulationSummary> {
  const server = await startSimCentralApi();
  const dir = scratchDir();
  const summary: SimulationSummary = {
    runs: 0,
    lost: 0,
    duplicated: 0,
    diverged: 0,
    recorded: 0,
    deadLettered: 0,
    crashes: 0,
    crashesAfterCommit: 0,
    restarts: 0,
    faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
    failures: [],
  };
  try {
    for (let run = 0; run < runs; run++) {
      const result = await simulateRun(server, seed, run, dir);
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `run-${run}.sqlite${suffix}`), { force: true });
      summary.runs += 1;
      summary.lost += result.lost.length;
      summary.duplicated += result.duplicated.length;
      summary.diverged += result.diverged.length > 0 ? 1 : 0;
      summary.recorded += result.recorded;
      summary.deadLettered += result.deadLettered;
      summary.crashes += result.crashes;
      summary.crashesAfterCommit += result.crashesAfterCommit;
      summary.restarts += result.restarts;
      for (const f of FAULTS) summary.faults[f] += result.faults[f];
      if (result.lost.length + result.duplicated.length + result.diverged.length > 0) summary.failures.push(result);
      onRun?.(result);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return summary;
}
