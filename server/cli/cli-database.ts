// The central database as a `clm` command opens it: DATABASE_URL when set, else the embedded data
// directory, migrated to this build's level, closed whatever happens. `badInput` turns a refusal the
// command knows (an unknown customer, a refused user change) into a usage error (exit code 2).
import type { SqlClient } from '../db/sql-client';
import { openSqlClient } from '../db/open-sql-client';
import { runMigrations } from '../db/migrate';
import { CliUsageError } from './model-commands/cli-error';

export async function withCliDatabase<T>(dataDir: string, work: (db: SqlClient) => Promise<T>, badInput: (error: unknown) => string | null): Promise<T> {
  const databaseUrl = process.env.DATABASE_URL;
  const { db } = await openSqlClient(databaseUrl ? { databaseUrl } : { dataDir });
  try {
    await runMigrations(db);
    return await work(db);
  } catch (error) {
    const refusal = badInput(error);
    if (refusal !== null) throw new CliUsageError(refusal);
    throw error;
  } finally {
    await db.close();
  }
}
