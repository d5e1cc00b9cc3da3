// The REAL central API (createCentralApi) on ONE in-memory PGlite shared by every simulation run:
// PGlite takes seconds to start, a reset takes milliseconds. A "server restart" closes the
// Fastify app and builds a new one on the same database, as a redeployed instance would.
import type { FastifyInstance } from 'fastify';
import { createCentralApi, type CentralApi } from '../../../server/app';
import { openPgliteClient } from '../../../server/db/pglite-client';
import type { SqlClient } from '../../../server/db/sql-client';
import { upsertCustomers, upsertOffers, upsertScores } from '../../../server/sync/change-log';
import type { Customer, CustomerScore, Offer } from '../../../shared/contract/entities';
import { cheapPasswordHash } from '../../support/cheap-passwords';

export const SIM_CUSTOMERS = 8;
export const SIM_USER = { username: 'sim-agent', password: 'sim-password-1' } as const;

/** The small book as first seeded: every run starts from it. */
export interface SimBook {
  customers: Customer[];
  scores: CustomerScore[];
  offers: Offer[];
}

export interface SimCentralApi {
  app(): FastifyInstance;
  db: SqlClient;
  book: SimBook;
  restart(): Promise<void>;
  /** Empties every table but users and puts the seeded book back (seeding itself trains a model: too slow per run). */
  resetBook(): Promise<void>;
  close(): Promise<void>;
}

const BOOK_TABLES = [
  'scores',
  'customers',
  'offers',
  'offer_stats',
  'contact_history',
  'fulfilment_orders',
  'outcomes',
  'devices',
  'refresh_tokens',
  'login_failures',
  'cti_calls',
];

export async function startSimCentralApi(): Promise<SimCentralApi> {
  const db = await openPgliteClient();
  const start = () =>
    createCentralApi({
      db: { client: db, driver: 'pglite' },
      demo: true,
      seedCustomers: SIM_CUSTOMERS,
      tokenSecret: 'fault-sim-secret',
      ctiKey: 'fault-sim-cti',
    });
  let api: CentralApi = await start();
  // A cheap hash (tests/support/cheap-passwords.ts): the simulation logs in again after every desk crash.
  await db.query(
    `INSERT INTO users (id, username, role, display_name, password_hash) VALUES ($1, $1, 'agent', 'Simulated agent', $2)
     ON CONFLICT (username) DO NOTHING`,
    [SIM_USER.username, await cheapPasswordHash(SIM_USER.password)],
  );
  const documents = <T>(table: string, key: string) =>
    db.query<{ data: T }>(`SELECT data FROM ${table} WHERE NOT deleted ORDER BY ${key}`).then((rows) => rows.map((r) => r.data));
  const book: SimBook = {
    customers: await documents<Customer>('customers', 'id'),
    scores: await documents<CustomerScore>('scores', 'customer_id'),
    offers: await documents<Offer>('offers', 'id'),
  };
  return {
    app: () => api.app,
    db,
    book,
    async restart() {
      await api.close();
      api = await start();
    },
    async resetBook() {
      await db.transaction(async (tx) => {
        // DELETE, not TRUNCATE: these tables hold a few rows each, and PGlite's TRUNCATE gives every table, index and
        // month partition new files (29 ms of CPU a reset against 9 ms). No table here has a delete trigger, and each
        // comes before the tables it references.
        for (const table of BOOK_TABLES) await tx.query(`DELETE FROM ${table}`);
        await upsertOffers(tx, book.offers);
        await upsertCustomers(tx, book.customers);
        await upsertScores(tx, book.scores);
      });
    },
    async close() {
      await api.close();
      await db.close();
    },
  };
}
