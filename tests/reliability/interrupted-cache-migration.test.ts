// Durability gap not covered by tests/db/open-cache.test.ts and tests/db/migrations.test.ts (which
// cover refused files and a migration that THROWS): a desk process killed with SIGKILL in the
// middle of a schema migration, after the migration has already spilled pages into the WAL.
// The next start must find the previous schema version, its outbox readable and complete.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { LATEST_VERSION } from '../../db/cache/migrations';
import { openCache } from '../../db/cache/open-cache';
import { createOutbox } from '../../db/outbox/outbox';
import { createSyncStateStore } from '../../db/replica/sync-state';
import { makeDraft } from '../db/support/fixtures';
import { useTempDir } from '../db/support/temp-dir';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const temp = useTempDir();

/**
 * A desk process in the middle of "migration N+1": the same shape as updateToVersion (one
 * transaction: DDL, a rewrite of the outbox, user_version), with a tiny page cache so the
 * uncommitted pages go to the WAL file, then it waits there to be killed.
 */
const MIGRATING_PROCESS = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('cache_size = 8');
db.exec('BEGIN IMMEDIATE');
db.exec('CREATE TABLE migration_in_progress (id INTEGER PRIMARY KEY, filler TEXT)');
db.exec('ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0');
db.exec('UPDATE outbox SET priority = 1, last_error = NULL');
const insert = db.prepare('INSERT INTO migration_in_progress (filler) VALUES (?)');
for (let i = 0; i < 5000; i++) insert.run('x'.repeat(400));
db.pragma('user_version = ' + process.argv[2]);
process.stdout.write('mid-migration\\n');
setInterval(() => {}, 1000);
`;

it('a desk killed mid-migration reopens at the previous version with its outbox intact', async () => {
  const cachePath = temp.path();
  const db = openCache(cachePath);
  const outbox = createOutbox(db);
  const recorded = [1, 2, 3].map((n) => outbox.record(makeDraft({ callId: `mig-${n}` }), 'agent-1', new Date(`2025-06-0${n}T10:00:00Z`)));
  createSyncStateStore(db).advanceCursor(42);
  db.close();

  const child = spawn(process.execPath, ['-e', MIGRATING_PROCESS, cachePath, String(LATEST_VERSION + 1)], { cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (data) => (stderr += String(data)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data) => String(data).includes('mid-migration') && resolve());
    void exited.then(() => reject(new Error(`the migrating process exited early: ${stderr}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // The half-done migration really reached the disk (uncommitted pages in the WAL), not just memory.
  expect(statSync(`${cachePath}-wal`).size).toBeGreaterThan(500_000);

  const reopened = openCache(cachePath);
  try {
    expect(reopened.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(reopened.pragma('quick_check', { simple: true })).toBe('ok');
    const tables = reopened.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).not.toContain('migration_in_progress');
    const outboxColumns = reopened.prepare<[], string>(`SELECT name FROM pragma_table_info('outbox')`).pluck().all();
    expect(outboxColumns).not.toContain('priority');
    const after = createOutbox(reopened);
    expect(after.counts().pending).toBe(3);
    expect(after.takeDue('agent-1', 10, Date.now()).map((o) => o.outcomeId)).toEqual(recorded.map((r) => r.outcomeId));
    expect(createSyncStateStore(reopened).cursor()).toBe(42);
  } finally {
    reopened.close();
  }
}, 60_000);
