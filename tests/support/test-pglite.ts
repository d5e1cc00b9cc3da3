// Private PGlite databases for test files, copied from templates built once per run.
// Creating a PGlite database runs initdb, and seeding the demo book trains a churn model on 5,000
// generated customers: together about ten seconds of CPU that every server test file used to
// spend again. Here the first file to need a template builds it (tests/support/global-setup.ts
// gives the run its folder) with the server's own runMigrations and seedDemoData; every file then
// opens its own copy of the data files, so no test sees another's writes.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
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
  /** Closes the database and deletes its copy. */
  dispose(): Promise<void>;
}

const templatesDir = () => inject('pgliteTemplatesDir');

/**
 * Makes sure the template `name` exists, building it with `fill` on a fresh data directory. One
 * worker builds while the other waits for it (a lock folder), and the template appears by a
 * rename, so nobody opens a half-built one.
 */
async function template(name: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(templatesDir(), name);
  const lock = `${dir}.lock`;
  await mkdir(templatesDir(), { recursive: true });
  while (!existsSync(dir)) {
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
      await fill(building);
      await rename(building, dir);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

/** A fresh PGlite data directory, as PGlite's initdb leaves it: nothing migrated. */
const emptyTemplate = () =>
  template('empty', async (dir) => {
    const db = await openPgliteClient(dir);
    await db.close();
  });

async function openCopy(templateDir: string): Promise<TestPglite> {
  const copy = path.join(templatesDir(), `copy-${randomUUID()}`);
  await cp(templateDir, copy, { recursive: true });
  const db = await openPgliteClient(copy);
  return {
    db,
    async dispose() {
      await db.close();
      await rm(copy, { recursive: true, force: true });
    },
  };
}

/** An empty database (what openPgliteClient() gives), without paying for initdb again. */
export async function openEmptyPglite(): Promise<TestPglite> {
  return openCopy(await emptyTemplate());
}

/** A database migrated and seeded with the demo users and `customers` demo customers scored as of TEST_NOW, as startTestApi's createCentralApi would leave it. */
export async function openDemoPglite(customers: number): Promise<TestPglite> {
  const empty = await emptyTemplate();
  const demo = await template(`demo-${customers}`, async (dir) => {
    await cp(empty, dir, { recursive: true });
    const db = await openPgliteClient(dir);
    try {
      await runMigrations(db);
      await seedDemoData(db, { customers, now: TEST_NOW });
    } finally {
      await db.close();
    }
  });
  return openCopy(demo);
}
