// Which database the central API runs on in a benchmark: PostgreSQL when one is reachable
// (BENCH_DATABASE_URL, else the local default), embedded PGlite otherwise. Each run gets a
// scratch database (or PGlite folder) that is dropped afterwards.
import pg from 'pg';
import type { SqlDriverName } from '../../server/db/sql-client';
import { createScratchDatabase } from '../../tests/support/scratch-postgres';
import { createScratchDir } from './scratch-dir';

export const LOCAL_POSTGRES_URL = 'postgres://clm:clm@127.0.0.1:5432/postgres';

export type DatabaseChoice = { driver: 'postgres'; adminUrl: string } | { driver: 'pglite'; whyNotPostgres: string };

/** Where to create scratch databases; connects once to find out. */
export async function choosePostgresOrPglite(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseChoice> {
  const adminUrl = env.BENCH_DATABASE_URL || LOCAL_POSTGRES_URL;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { driver: 'postgres', adminUrl };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { driver: 'pglite', whyNotPostgres: `PostgreSQL at ${new URL(adminUrl).host} unreachable (${reason})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Where a central API child stores its data; `location` goes into createCentralApi's options. */
export interface ScratchServerDatabase {
  driver: SqlDriverName;
  location: { databaseUrl: string } | { dataDir: string };
  drop(): Promise<void>;
}

export async function createScratchServerDatabase(driver: SqlDriverName, choice: DatabaseChoice): Promise<ScratchServerDatabase> {
  if (driver === 'postgres') {
    if (choice.driver !== 'postgres') throw new Error(`no PostgreSQL for this run: ${choice.whyNotPostgres}`);
    const scratch = await createScratchDatabase(choice.adminUrl);
    return { driver, location: { databaseUrl: scratch.url }, drop: scratch.drop };
  }
  // File-backed like the server's default (.data/server); PGlite's in-memory mode caps out below a large book.
  const dir = createScratchDir('pglite');
  return { driver, location: { dataDir: dir.file('server') }, drop: async () => dir.remove() };
}

/**
 * ANALYZE: what autovacuum does to a freshly loaded book within a minute. Without statistics the
 * planner sorts every row past a sync cursor instead of walking the change_seq index (a page 10× slower).
 */
export async function analyzeDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
