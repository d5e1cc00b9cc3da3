// CLI entry: `npm run server -- [--port 4310] [--host 127.0.0.1] [--customers 20000] [--data-dir .data/server|:memory:]
// [--demo-history-days 0] [--verbose]`. Uses PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
// --demo-history-days N seeds N past days of call outcomes while none exist (the demo launcher's; tests leave it 0).
import { parseArgs } from 'node:util';
import { createCentralApi, type CentralApi } from './app';
import { countCustomers } from './seed/seed-database';
import { DEMO_BOOK_SIZE } from './seed/demo-customers';
import { seedDemoHistory } from './seed/demo-history';

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
    customers: { type: 'string', default: String(DEMO_BOOK_SIZE) },
    'data-dir': { type: 'string', default: '.data/server' },
    'demo-history-days': { type: 'string', default: '0' },
    verbose: { type: 'boolean', default: false },
  },
});

const port = wholeNumber('--port', values.port, 0);
const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = values['data-dir'] === IN_MEMORY ? undefined : values['data-dir'];

const seedCustomers = wholeNumber('--customers', values.customers, 0);
const demoHistoryDays = wholeNumber('--demo-history-days', values['demo-history-days'], 0);
let api: CentralApi;
try {
  api = await createCentralApi({ ...(databaseUrl ? { databaseUrl } : dataDir ? { dataDir } : {}), seedCustomers, logger: values.verbose });
  const history = await seedDemoHistory(api.db, { days: demoHistoryDays });
  if (history.outcomes > 0) console.log(`seeded a demo history of ${history.outcomes} outcomes over ${demoHistoryDays} days`);
  await api.app.listen({ host: values.host, port });
} catch (error) {
  // One readable line (a refused migration, a port in use, an unreachable database) instead of a stack.
  console.error(`CLM central API could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const address = api.app.server.address();
const boundPort = typeof address === 'object' && address !== null ? address.port : port;
console.log(`CLM central API listening on http://${values.host}:${boundPort} (${api.driver}, ${await countCustomers(api.db)} customers)`);

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
