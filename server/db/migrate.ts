// Forward-only migrations. Each runs in its own transaction together with its schema_migrations
// row, under an advisory lock so instances starting at the same time do not race.
import { MIGRATIONS, type Migration } from './migrations';
import { MIGRATION_LOCK, advisoryXactLockSql } from './advisory-locks';
import type { SqlClient } from './sql-client';

export class UnknownMigrationError extends Error {
  constructor(readonly unknownVersions: readonly number[]) {
    super(
      `The database holds migration(s) ${unknownVersions.join(', ')} that this build does not know. ` +
        'It was migrated by a newer build; refusing to start rather than run against a schema this code does not understand.',
    );
    this.name = 'UnknownMigrationError';
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous !== undefined && m.version <= previous.version) throw new Error(`migration list out of order: ${m.version} follows ${previous.version}`);
  });
}

async function appliedVersions(tx: SqlClient): Promise<Set<number>> {
  const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => r.version));
}

/** Applies pending migrations; returns the versions it applied. */
export async function runMigrations(db: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  assertOrdered(migrations);
  const known = new Set(migrations.map((m) => m.version));

  await db.transaction(async (tx) => {
    await tx.query(advisoryXactLockSql(MIGRATION_LOCK));
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const unknown = [...(await appliedVersions(tx))].filter((v) => !known.has(v)).sort((a, b) => a - b);
    if (unknown.length > 0) throw new UnknownMigrationError(unknown);
  });

  const applied: number[] = [];
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      await tx.query(advisoryXactLockSql(MIGRATION_LOCK));
      if ((await appliedVersions(tx)).has(migration.version)) return;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    });
  }
  return applied;
}
