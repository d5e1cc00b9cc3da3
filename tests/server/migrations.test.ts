import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { runMigrations } from '../../server/db/migrate';
import { MIGRATIONS, type Migration } from '../../server/db/migrations';
import { migrationFlows } from './support/core-flows';
import { startTestApi } from './support/test-api';

let api: CentralApi;
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
});
afterAll(() => api?.close());

describe('migrations on a fresh PGlite', () => {
  migrationFlows(() => api);

  it('creates the tables and the change_seq indexes', async () => {
    const tables = await api.db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        'contact_history',
        'cti_calls',
        'customers',
        'devices',
        'fulfilment_orders',
        'login_failures',
        'offer_stats',
        'offers',
        'outcomes',
        'refresh_tokens',
        'schema_migrations',
        'scores',
        'users',
      ]),
    );
    const indexes = await api.db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE indexname LIKE '%change_seq%' ORDER BY indexname`);
    expect(indexes.map((i) => i.indexname)).toEqual([
      'contact_history_change_seq_idx',
      'customer_usage_windows_change_seq_idx',
      'customers_change_seq_idx',
      'offer_stats_change_seq_idx',
      'offers_change_seq_idx',
      'scores_change_seq_idx',
    ]);
    const [team] = await api.db.query<{ data_type: string }>(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'team'`,
    );
    expect(team?.data_type).toBe('text');
  });

  it('rolls a failing migration back completely and does not record it', async () => {
    const version = MIGRATIONS.length + 1;
    const broken: Migration = { version, name: 'broken', statements: ['CREATE TABLE half_done (a integer)', 'SELECT no_such_column FROM users'] };
    await expect(runMigrations(api.db, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_column/);
    expect(await api.db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`)).toEqual([]);
    expect(await api.db.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version])).toEqual([]);
  });

  it('rejects a migration list that is out of order', async () => {
    const stale: Migration = { version: 1, name: 'duplicate', statements: [] };
    await expect(runMigrations(api.db, [...MIGRATIONS, stale])).rejects.toThrow(/out of order/);
  });
});
