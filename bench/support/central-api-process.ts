// Starts the central API in its own process on a scratch database and stops it (dropping the
// database) afterwards. Login and CTI helpers speak to it over loopback HTTP.
import path from 'node:path';
import type { SqlDriverName } from '../../server/db/sql-client';
import type { CentralApiChildInfo, CentralApiChildMethods } from './central-api-child';
import { forkChild, type ChildHandle } from './child-rpc';
import { seededBookCopy, type SeededCopy } from './seeded-book-cache';
import { analyzeDatabase, createScratchServerDatabase, type DatabaseChoice, type ScratchServerDatabase } from './server-database';

export const BENCH_CTI_KEY = 'bench-cti-key';
export const BENCH_AGENT = { username: 'agent01', password: 'demo1234' } as const;

export interface CentralApiProcess extends ChildHandle<CentralApiChildMethods, CentralApiChildInfo> {
  url: string;
  driver: SqlDriverName;
  customers: number;
  /** How the book got there: seeded by this run, or copied from one kept by an earlier run. */
  seed: { seconds: number; seededNow: boolean; seededAt: string; keptAs: string } | null;
}

/** The central API on `database`, seeding `customers` demo customers into it when it is empty. */
function forkApi(database: ScratchServerDatabase, customers: number) {
  return forkChild<CentralApiChildMethods, CentralApiChildInfo>(
    path.join(import.meta.dirname, 'central-api-child.ts'),
    { location: database.location, customers, ctiKey: BENCH_CTI_KEY, tokenSecret: 'bench-token-secret-not-for-production' },
    // Seeding a million customers (generated, model-scored, written) takes minutes and holds the book in memory.
    { startupTimeoutMs: 60 * 60_000, execArgv: ['--max-old-space-size=16384'] },
  );
}

/** A scratch copy of the kept book of `customers` demo customers, seeded by a central API first when none is kept for these sources. */
export function seededApiBookCopy(driver: SqlDriverName, choice: DatabaseChoice, customers: number): Promise<SeededCopy> {
  return seededBookCopy(driver, choice, customers, async (empty) => {
    const seeding = await forkApi(empty, customers);
    await seeding.stop();
    return seeding.info.seedSeconds;
  });
}

/**
 * A central API on a scratch database holding `customers` demo customers (users and offers always).
 * `analyze`: on PostgreSQL, gather the planner's statistics on the copied book before the API starts.
 */
export async function startCentralApiProcess(options: {
  driver: SqlDriverName;
  choice: DatabaseChoice;
  customers: number;
  analyze?: boolean;
}): Promise<CentralApiProcess> {
  const seeded = options.customers === 0 ? null : await seededApiBookCopy(options.driver, options.choice, options.customers);
  const database = seeded?.database ?? (await createScratchServerDatabase(options.driver, options.choice));
  try {
    if (options.analyze === true && 'databaseUrl' in database.location) await analyzeDatabase(database.location.databaseUrl);
    const child = await forkApi(database, options.customers);
    return {
      ...child,
      url: child.info.url,
      driver: child.info.driver,
      customers: options.customers,
      seed: seeded === null ? null : { ...seeded.seed, seededNow: seeded.seededNow, keptAs: seeded.keptAs },
      async stop() {
        await child.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
}

/** A bearer token for `username`, as the desk gets one. */
export async function loginToken(apiUrl: string, username: string = BENCH_AGENT.username, password: string = BENCH_AGENT.password): Promise<string> {
  const response = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username}: HTTP ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** POST /cti/calls as the telephony platform does. */
export async function postCtiEvent(
  apiUrl: string,
  event: { callId: string; ani: string; agentId: string; event: 'offered' | 'answered' | 'ended' },
): Promise<void> {
  const response = await fetch(`${apiUrl}/cti/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cti-key': BENCH_CTI_KEY },
    body: JSON.stringify(event),
  });
  if (response.status !== 202) throw new Error(`CTI event: HTTP ${response.status} ${await response.text()}`);
}
