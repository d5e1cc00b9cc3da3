// Child process: a central API (server/app.ts) on a scratch database, seeded with the demo book
// (timed here, outside any benchmark's timed section), listening on a free loopback port.
// The parent drives server-side writes and counts through the RPC methods below.
import { createCentralApi } from '../../server/app';
import type { SqlClient } from '../../server/db/sql-client';
import { DEMO_SEED, demoScore, generateDemoCustomer } from '../../server/seed/demo-customers';
import { seedDemoData } from '../../server/seed/seed-database';
import { upsertCustomers, upsertScores } from '../../server/sync/change-log';
import { clearCacheScope, setCacheScope } from '../../server/sync/cache-scopes';
import { importMonthOfBills } from './month-of-bills';
import { childConfig, failStartup, serveRpc } from './child-rpc';
import { DATABASE_SESSION_PIDS_SQL } from './process-cpu';
import { elapsedMs } from './stats';

export interface CentralApiChildConfig {
  location: { databaseUrl: string } | { dataDir: string };
  customers: number;
  ctiKey: string;
  tokenSecret: string;
}

export interface CentralApiChildInfo {
  url: string;
  driver: 'postgres' | 'pglite';
  seedSeconds: number;
}

const CHANGE_TABLES = ['customers', 'scores', 'offers'] as const;

async function countWhere(db: SqlClient, where: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (const table of CHANGE_TABLES) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
    total += row?.n ?? 0;
  }
  return total;
}

function methods(db: SqlClient) {
  return {
    /**
     * A back-office change to existing customers, written the way the server writes every change
     * (server/sync/change-log.ts): one more complaint each, re-scored, `perTransaction` per commit.
     */
    async writeChangedCustomers(arg: { indexes: number[]; perTransaction: number }) {
      const started = performance.now();
      for (let i = 0; i < arg.indexes.length; i += arg.perTransaction) {
        const customers = arg.indexes.slice(i, i + arg.perTransaction).map((index) => {
          const customer = generateDemoCustomer(index, DEMO_SEED);
          return { ...customer, complaints30d: customer.complaints30d + 1, complaints90d: customer.complaints90d + 1 };
        });
        await db.transaction(async (tx) => {
          await upsertCustomers(tx, customers);
          await upsertScores(tx, customers.map(demoScore));
        });
      }
      return { seconds: elapsedMs(started) / 1000 };
    },
    async maxSeq() {
      const [row] = await db.query<{ n: number | null }>(
        `SELECT max(change_seq)::bigint AS n FROM (${CHANGE_TABLES.map((t) => `SELECT max(change_seq) AS change_seq FROM ${t}`).join(' UNION ALL ')}) AS m`,
      );
      return row?.n ?? 0;
    },
    countChangesAfter: (arg: { after: number }) => countWhere(db, 'change_seq > $1', [arg.after]),
    /** How many of these outcome ids the outcomes table holds. */
    async countOutcomesAmong(arg: { ids: string[] }) {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes WHERE outcome_id = ANY($1::uuid[])', [arg.ids]);
      return row?.n ?? 0;
    },
    async countOutcomes() {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes');
      return row?.n ?? 0;
    },
    /**
     * Spreads the book over `regions` regions R0, R1, … by a hash of the customer id (as an import
     * would fill customer_profiles) and gives `team` the scope of R0 with a hot set of `hotSetCap`.
     * Returns the scope's size and `sample` numbers inside and outside it.
     */
    async scopeTeamToOneRegion(arg: { team: string; regions: number; hotSetCap: number; sample: number }) {
      await db.query(
        `INSERT INTO customer_profiles (customer_id, region)
         SELECT id, 'R' || mod(('x' || substr(md5(id), 1, 8))::bit(32)::bigint, $1) FROM customers WHERE NOT deleted
         ON CONFLICT (customer_id) DO UPDATE SET region = EXCLUDED.region`,
        [arg.regions],
      );
      const started = performance.now();
      const written = await setCacheScope(db, { team: arg.team, regions: ['R0'], hotSetCap: arg.hotSetCap, by: 'bench', now: new Date() });
      const phones = (member: boolean) =>
        db.query<{ phone: string }>(
          `SELECT c.phone FROM customers c WHERE NOT c.deleted AND ${member ? '' : 'NOT '}EXISTS
             (SELECT 1 FROM cache_scope_members m WHERE m.team = $1 AND m.customer_id = c.id AND m.member)
           ORDER BY md5(c.id) LIMIT $2`,
          [arg.team, arg.sample],
        );
      return {
        members: written.entered,
        setSeconds: elapsedMs(started) / 1000,
        inside: (await phones(true)).map((r) => r.phone),
        outside: (await phones(false)).map((r) => r.phone),
      };
    },
    clearScope: (arg: { team: string }) => clearCacheScope(db, arg.team),
    /** On PostgreSQL, the process ids of the server's sessions on this database (the API's pool, the asking one too: it serves requests), for their CPU time. */
    async databaseSessionPids() {
      const rows = await db.query<{ pid: number }>(DATABASE_SESSION_PIDS_SQL);
      return rows.map((r) => r.pid);
    },
    /** `clm import usage` of one month's bills for every live customer (bench/month-close.ts). */
    importUsageMonth: (arg: { month: string; asOf: string; csvPath: string }) => importMonthOfBills(db, arg),
  };
}

export type CentralApiChildMethods = ReturnType<typeof methods>;

try {
  const config = childConfig<CentralApiChildConfig>();
  // Users and offers come with the app; customers are seeded separately so their time is known.
  const api = await createCentralApi({ ...config.location, demo: true, seedCustomers: 0, ctiKey: config.ctiKey, tokenSecret: config.tokenSecret });
  const seedStarted = performance.now();
  await seedDemoData(api.db, { customers: config.customers });
  const seedSeconds = elapsedMs(seedStarted) / 1000;
  const url = await api.app.listen({ host: '127.0.0.1', port: 0 });
  serveRpc({ url, driver: api.driver, seedSeconds } satisfies CentralApiChildInfo, methods(api.db), () => api.close());
} catch (error) {
  failStartup(error);
}
