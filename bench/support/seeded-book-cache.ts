// Seeding the server is slow (the demo book is scored by the churn model: minutes for a million
// customers), so a seeded book is kept and copied for each run: a PostgreSQL template database,
// or a PGlite folder under .data/bench. The key is the row count plus a hash of every source
// file that decides the seeded rows, so a change to seeding, scoring or the schema reseeds.
// CLM_BENCH_RESEED=1 forces a fresh seed.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { SqlDriverName } from '../../server/db/sql-client';
import { REPO_ROOT } from './child-rpc';
import { createScratchDir } from './scratch-dir';
import type { DatabaseChoice, ScratchServerDatabase } from './server-database';
import { createScratchServerDatabase } from './server-database';

/** Folders whose sources decide the rows a seeded server holds. */
const ROW_SOURCES = ['server/seed', 'server/scoring', 'server/sync', 'server/db/migrations', 'shared/analytics', 'shared/contract', 'shared/domain'];

export interface SeedRecord {
  seconds: number;
  seededAt: string;
}

export interface SeededCopy {
  database: ScratchServerDatabase;
  seed: SeedRecord;
  /** True when this run seeded the book (and paid for it); false when it copied a kept one. */
  seededNow: boolean;
  keptAs: string;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

export function rowSourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of ROW_SOURCES.flatMap((dir) => listFiles(path.join(REPO_ROOT, dir))).sort()) {
    hash.update(path.relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

const reseedForced = () => process.env.CLM_BENCH_RESEED === '1';

async function withAdmin<T>(adminUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** `seedInto` seeds a given empty database and resolves with the seconds it took. */
type Seeder = (database: ScratchServerDatabase) => Promise<number>;

/** FILE_COPY copies the files instead of writing the whole database through the WAL. */
async function copyTemplate(adminUrl: string, template: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY = FILE_COPY`));
      return;
    } catch (error) {
      // The seeding server's connections may take a moment to go away after it exits.
      if (attempt >= 20 || !(error instanceof Error && /being accessed by other users/.test(error.message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function postgresCopy(adminUrl: string, customers: number, seedInto: Seeder): Promise<SeededCopy> {
  const template = `clm_bench_book_${customers}_${rowSourcesHash()}`;
  const existing = await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [template],
    );
    return rows[0]?.comment ?? null;
  });
  let record: SeedRecord | null = existing === null || reseedForced() ? null : (JSON.parse(existing) as SeedRecord);
  const seededNow = record === null;
  if (record === null) {
    await withAdmin(adminUrl, async (client) => {
      // Books seeded by older sources are dead weight: drop them.
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`clm_bench_book_${customers}_%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${template}`);
    });
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    const seconds = await seedInto({ driver: 'postgres', location: { databaseUrl: url.toString() }, drop: async () => undefined });
    record = { seconds, seededAt: new Date().toISOString() };
    await withAdmin(adminUrl, (client) => client.query(`COMMENT ON DATABASE ${template} IS '${JSON.stringify(record)}'`));
  }
  const name = `clm_bench_${process.pid}_${Date.now()}`;
  await copyTemplate(adminUrl, template, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    database: {
      driver: 'postgres',
      location: { databaseUrl: url.toString() },
      drop: () => withAdmin(adminUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
    },
    seed: record,
    seededNow,
    keptAs: `template database ${template}`,
  };
}

async function pgliteCopy(choice: DatabaseChoice, customers: number, seedInto: Seeder): Promise<SeededCopy> {
  const kept = path.join(REPO_ROOT, '.data/bench', `pglite-book-${customers}-${rowSourcesHash()}`);
  const recordFile = `${kept}.json`;
  const seededNow = !existsSync(recordFile) || reseedForced();
  if (seededNow) {
    rmSync(kept, { recursive: true, force: true });
    const fresh = await createScratchServerDatabase('pglite', choice);
    const seconds = await seedInto(fresh);
    if (!('dataDir' in fresh.location)) throw new Error('a PGlite scratch database has a data folder');
    mkdirSync(path.dirname(kept), { recursive: true });
    cpSync(fresh.location.dataDir, kept, { recursive: true });
    await fresh.drop();
    writeFileSync(recordFile, JSON.stringify({ seconds, seededAt: new Date().toISOString() } satisfies SeedRecord));
  }
  const copy = createScratchDir('pglite');
  const dataDir = copy.file('server');
  cpSync(kept, dataDir, { recursive: true });
  return {
    database: { driver: 'pglite', location: { dataDir }, drop: async () => copy.remove() },
    seed: JSON.parse(readFileSync(recordFile, 'utf8')) as SeedRecord,
    seededNow,
    keptAs: `PGlite folder ${path.relative(REPO_ROOT, kept)}`,
  };
}

/** A scratch copy of a seeded book, seeding (and keeping) it first when no current one is kept. */
export function seededBookCopy(driver: SqlDriverName, choice: DatabaseChoice, customers: number, seedInto: Seeder): Promise<SeededCopy> {
  if (driver === 'postgres') {
    if (choice.driver !== 'postgres') throw new Error(`no PostgreSQL for this run: ${choice.whyNotPostgres}`);
    return postgresCopy(choice.adminUrl, customers, seedInto);
  }
  return pgliteCopy(choice, customers, seedInto);
}
