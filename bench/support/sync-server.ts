// The central API the sync benchmarks pull from: the whole benchmark book, seeded through the
// server's own seedDemoData (timed apart, never inside a measured section), on PostgreSQL when
// reachable and PGlite otherwise.
import { benchRows } from './book';
import { startCentralApiProcess, type CentralApiProcess } from './central-api-process';
import { choosePostgresOrPglite } from './server-database';
import { progress } from './standalone';
import { elapsedMs } from './stats';

export interface SyncServer {
  api: CentralApiProcess;
  /** One line for the notes: driver, why, seed time. */
  description: string;
  /** Seconds this run spent seeding (0 when it copied a kept book). */
  seedSeconds: number;
}

export async function startSyncServer(rows: number = benchRows()): Promise<SyncServer> {
  const choice = await choosePostgresOrPglite();
  progress('sync-server', `a ${choice.driver} copy of the seeded ${rows.toLocaleString('en-US')}-customer book (seeding it first if none is kept; not timed)`);
  const started = performance.now();
  const api = await startCentralApiProcess({ driver: choice.driver, choice, customers: rows });
  const readySeconds = elapsedMs(started) / 1000;
  const driverText = choice.driver === 'postgres' ? 'PostgreSQL (scratch database)' : `PGlite (file-backed; ${choice.whyNotPostgres})`;
  const seed = api.seed;
  const seedText =
    seed === null
      ? ''
      : `seeded by seedDemoData (generate, score with the churn model, write through the change log) in ${seed.seconds.toFixed(1)} s ${seed.seededNow ? 'by this run' : `on ${seed.seededAt.slice(0, 16)}`} and kept as ${seed.keptAs}; this run's copy was ready in ${readySeconds.toFixed(1)} s`;
  progress('sync-server', `ready in ${readySeconds.toFixed(1)} s`);
  return {
    api,
    description: `central API on ${driverText} in its own process; ${rows.toLocaleString('en-US')} customers + scores ${seedText}; all outside the timed sections`,
    seedSeconds: seed?.seededNow === true ? seed.seconds : 0,
  };
}

/** Uses the given server or starts (and afterwards stops) one. */
export async function withSyncServer<T>(given: SyncServer | undefined, use: (server: SyncServer) => Promise<T>): Promise<T> {
  if (given !== undefined) return use(given);
  const server = await startSyncServer();
  try {
    return await use(server);
  } finally {
    await server.api.stop();
  }
}
