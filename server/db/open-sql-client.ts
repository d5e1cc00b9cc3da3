import { openPgliteClient } from './pglite-client';
import { openPostgresClient } from './pg-client';
import type { SqlClient, SqlDriverName } from './sql-client';
import type { DatabasePoolSettings } from '../config';

export interface DatabaseLocation {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; absent means in-memory. Ignored with databaseUrl. */
  dataDir?: string;
  /** PostgreSQL only: the pool's size and statement timeout (default 10 connections, no timeout). */
  pool?: DatabasePoolSettings;
}

export async function openSqlClient(location: DatabaseLocation): Promise<{ db: SqlClient; driver: SqlDriverName }> {
  if (location.databaseUrl) return { db: await openPostgresClient(location.databaseUrl, location.pool), driver: 'postgres' };
  return { db: await openPgliteClient(location.dataDir), driver: 'pglite' };
}
