// CLI entry: `npm run server -- [--port 4310] [--host 127.0.0.1] [--data-dir .data/server|:memory:] [--verbose]
// [--demo [--customers 20000] [--demo-history-days 0]]`. Uses PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
// Without --demo (production) nothing is seeded: an empty database stays empty until the operator imports its book
// and creates users. --demo seeds the demo accounts and book; --demo-history-days N also N past days of call outcomes,
// after 90 days of the retention programmes' outbound calls and leavers.
import { parseArgs } from 'node:util';
import { createCentralApi, type CentralApi } from './app';
import { countCustomers } from './seed/seed-database';
import { countUsers } from './users/user-accounts';
import { DEMO_BOOK_SIZE } from './seed/demo-customers';
import { seedDemoHistory } from './seed/demo-history';
import { seedDemoProgrammes } from './seed/demo-programmes';
import { recordProgrammeAssignments } from './catalog/programme-assignments';

const IN_MEMORY = ':memory:';

function wholeNumber(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${name} must be a whole number >= ${min}, got '${raw}'`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.CLM_API_PORT ?? '4310' },
    host: { type: 'string', default: '127.0.0.1' },
    demo: { type: 'boolean', default: false },
    customers: { type: 'string' },
    'data-dir': { type: 'string', default: '.data/server' },
    'demo-history-days': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const port = wholeNumber('--port', values.port, 0);
const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = values['data-dir'] === IN_MEMORY ? undefined : values['data-dir'];

if (!values.demo && (values.customers !== undefined || values['demo-history-days'] !== undefined)) {
  console.error('--customers and --demo-history-days seed demo data: they need --demo');
  process.exit(2);
}
const seedCustomers = wholeNumber('--customers', values.customers ?? String(DEMO_BOOK_SIZE), 0);
const demoHistoryDays = wholeNumber('--demo-history-days', values['demo-history-days'] ?? '0', 0);
// CLM_CATALOG_DIR: the operator's own offer catalogue. Unset, demo mode publishes the sample one shipped in
// server/catalog/offers and production mode none (createCentralApi).
const catalogDir = process.env.CLM_CATALOG_DIR || undefined;
let api: CentralApi;
try {
  const location = databaseUrl ? { databaseUrl } : dataDir ? { dataDir } : {};
  api = await createCentralApi({ ...location, ...(catalogDir ? { catalogDir } : {}), demo: values.demo, seedCustomers, logger: values.verbose });
  if (values.demo) {
    // The programmes' past belongs to the demo's past: it comes first and ends where the call history starts.
    if (demoHistoryDays > 0) {
      const programmes = await seedDemoProgrammes(api.db, { historyDays: demoHistoryDays });
      if (programmes.assigned > 0)
        console.log(`seeded the retention programmes' past: ${programmes.assigned} assignments, ${programmes.outcomes} outbound calls`);
    }
    const history = await seedDemoHistory(api.db, { days: demoHistoryDays });
    if (history.outcomes > 0) console.log(`seeded a demo history of ${history.outcomes} outcomes over ${demoHistoryDays} days`);
  }
  // Customers warned since the last start join the retention programmes' groups (before any contact).
  await recordProgrammeAssignments(api.db, new Date());
  await api.app.listen({ host: values.host, port });
} catch (error) {
  // One readable line (a refused migration, a port in use, an unreachable database) instead of a stack.
  console.error(`CLM central API could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const address = api.app.server.address();
const boundPort = typeof address === 'object' && address !== null ? address.port : port;
const mode = values.demo ? 'demo mode: demo accounts and book, demo password accepted' : 'production mode';
console.log(`CLM central API listening on http://${values.host}:${boundPort} (${api.driver}, ${await countCustomers(api.db)} customers, ${mode})`);
if (!values.demo && catalogDir === undefined)
  console.log(
    'No offer catalogue published (CLM_CATALOG_DIR is not set): cards show no offers. Set CLM_CATALOG_DIR to the folder of your offer files (check it first: npm run clm -- catalog check --dir DIR) and restart.',
  );
if ((await countUsers(api.db)) === 0)
  console.log(
    'No users yet. Create the first administrator (it prints a generated password; --password-stdin reads one instead):\n' +
      '  npm run clm -- users create --username admin --role admin --display-name Administrator' +
      // The embedded database takes one process at a time: the command opens it while the API is stopped.
      (databaseUrl ? '' : `  --data-dir ${dataDir ?? ':memory: (a throwaway database: use --data-dir DIR)'}   (stop the API first)`),
  );

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, shutting down`);
  api.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('shutdown failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
