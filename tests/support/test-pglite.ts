// Private PGlite databases for test files, copied from templates built once per run.
// Creating a PGlite database runs initdb, and seeding the demo book trains a churn model on 5,000
// generated customers: together about ten seconds of CPU that every server test file used to
// spend again. Here the first file to need a template builds it (tests/support/global-setup.ts
// gives the run its folder) with the server's own runMigrations and seedDemoData; every file then
// opens its own in-memory copy of the data, so no test sees another's writes.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { runMigrations } from '../../server/db/migrate';
import { openPgliteClient } from '../../server/db/pglite-client';
import type { SqlClient } from '../../server/db/sql-client';
import { seedDemoData } from '../../server/seed/seed-database';
import { TEST_NOW } from './test-clock';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's folder of PGlite template data directories (tests/support/global-setup.ts). */
    pgliteTemplatesDir: string;
  }
}

export interface TestPglite {
  db: SqlClient;
  /** Closes the database (its in-memory copy goes with it). */
  dispose(): Promise<void>;
}

const templatesDir = () => inject('pgliteTemplatesDir');

/**
 * Makes sure `name` (a folder or a file) exists in the templates folder, building it with `build`.
 * One worker builds while the other waits for it (a lock folder), and it appears by a rename, so
 * nobody opens a half-built one.
 */
async function buildOnce(name: string, build: (target: string) => Promise<void>): Promise<string> {
  const built = path.join(templatesDir(), name);
  const lock = `${built}.lock`;
  await mkdir(templatesDir(), { recursive: true });
  while (!existsSync(built)) {
    const locked = await mkdir(lock).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (!locked) {
      await delay(100);
      continue;
    }
    try {
      const building = path.join(templatesDir(), `building-${randomUUID()}`);
      await build(building);
      await rename(building, built);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  return built;
}

/**
 * The template's data as a dumpDataDir tarball, made the first time a test opens a copy of it. It
 * dumps a private copy: PGlite writes to the folder it opens (postmaster.pid, the checkpoint at
 * close) while another worker may be copying the template to derive one from it or to hand it to a
 * child process, which then failed on a file that vanished under it.
 */
const dumpOf = (templateDir: string) =>
  buildOnce(`${path.basename(templateDir)}.tar`, async (target) => {
    const scratch = `${target}.data`;
    await cp(templateDir, scratch, { recursive: true });
    const pglite = await PGlite.create(scratch);
    try {
      await writeFile(target, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    } finally {
      await pglite.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });

/** A fresh PGlite data directory, as PGlite's initdb leaves it: nothing migrated. */
const emptyTemplate = () =>
  buildOnce('empty', async (dataDir) => {
    const db = await openPgliteClient(dataDir);
    await db.close();
  });

/** `from`'s data with `change` applied. */
const derivedTemplate = (name: string, from: string, change: (db: SqlClient) => Promise<unknown>) =>
  buildOnce(name, async (dataDir) => {
    await cp(from, dataDir, { recursive: true });
    const db = await openPgliteClient(dataDir);
    try {
      await change(db);
    } finally {
      await db.close();
    }
  });

/** An empty database migrated to this build's schema. */
const migratedTemplate = async () => derivedTemplate('migrated', await emptyTemplate(), (db) => runMigrations(db));

/**
 * The template's data in memory: file-backed PGlite pays a seek and a stat for every page it
 * touches, which made a query cost twice the CPU.
 */
async function openCopy(templateDir: string): Promise<TestPglite> {
  const db = await openPgliteClient(undefined, new Blob([await readFile(await dumpOf(templateDir))]));
  return { db, dispose: () => db.close() };
}

/** An empty database (what openPgliteClient() gives), without paying for initdb again. */
export async function openEmptyPglite(): Promise<TestPglite> {
  return openCopy(await emptyTemplate());
}

/** An empty database migrated to this build's schema, without paying for initdb and the migrations again. */
export async function openMigratedPglite(): Promise<TestPglite> {
  return openCopy(await migratedTemplate());
}

/**
 * Fills `dataDir` (which must not exist yet) with a migrated, otherwise empty database for a
 * `clm --data-dir` child process: it then only checks the migrations instead of running initdb and
 * every migration again, about three seconds of CPU per data folder. The caller deletes it.
 */
export async function migratedDataDir(dataDir: string): Promise<string> {
  await cp(await migratedTemplate(), dataDir, { recursive: true, errorOnExist: true, force: false });
  return dataDir;
}

/** A database migrated and seeded with the demo users and `customers` demo customers scored as of TEST_NOW, as startTestApi's createCentralApi would leave it. */
export async function openDemoPglite(customers: number): Promise<TestPglite> {
  const demo = await derivedTemplate(`demo-${customers}`, await migratedTemplate(), (db) => seedDemoData(db, { customers, now: TEST_NOW }));
  return openCopy(demo);
}
