import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../db/cache/cache-unavailable-error';
import { LATEST_VERSION } from '../../db/cache/migrations';
import { openCache, openCacheCheckingInBackground } from '../../db/cache/open-cache';
import { createOutbox } from '../../db/outbox/outbox';
import { cacheWithCustomers, corruptTable } from './support/corrupt-cache';
import { makeDraft } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();

function expectRefused(path: string, reason: CacheUnavailableError['reason']): CacheUnavailableError {
  let caught: unknown;
  try {
    openCache(path).close();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CacheUnavailableError);
  const error = caught as CacheUnavailableError;
  expect(error.reason).toBe(reason);
  expect(error.message).toContain(path);
  expect(error.message).toContain('left untouched');
  return error;
}

describe('openCache', () => {
  it('creates a new cache at the latest version with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const db = openCache(temp.path());
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('creates the data folder of a first run', () => {
    const path = join(dirname(temp.path()), 'new-data-dir', 'nested', 'cache.sqlite');
    const db = openCache(path);
    expect(existsSync(path)).toBe(true);
    db.close();
  });

  it('refuses a file that is not a SQLite database without modifying it', () => {
    const path = temp.path();
    const garbage = Buffer.from('this is the agent notes file, not a database\n'.repeat(200));
    writeFileSync(path, garbage);
    expectRefused(path, 'not_a_database');
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('refuses a corrupt database without modifying it', () => {
    const path = temp.path();
    const db = openCache(path);
    const insert = db.prepare('INSERT INTO offers (id, version, data) VALUES (?, 1, ?)');
    for (let i = 0; i < 500; i++) insert.run(`o-${i}`, 'x'.repeat(200));
    db.close();
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the b-tree header of a page in the middle of the offers table.
    bytes.fill(0xff, pageSize * 5, pageSize * 5 + 64);
    writeFileSync(path, bytes);
    expectRefused(path, 'corrupt');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a cache written by a newer app (future user_version) without modifying it', () => {
    const path = temp.path();
    openCache(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = readFileSync(path);
    const error = expectRefused(path, 'future_version');
    expect(error.message).toContain(`cache schema version ${LATEST_VERSION + 1} is newer than this app supports`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('keeps pending outbox rows across a reopen', () => {
    const path = temp.path();
    const db = openCache(path);
    const recorded = createOutbox(db).record(makeDraft(), 'agent-1', new Date('2025-06-01T10:00:00Z'));
    db.close();

    const reopened = openCache(path);
    const outbox = createOutbox(reopened);
    expect(outbox.counts().pending).toBe(1);
    expect(outbox.takeDue('agent-1', 10, Date.now()).map((o) => o.outcomeId)).toEqual([recorded.outcomeId]);
    reopened.close();
  });
});

async function refusalOf(checked: Promise<void>): Promise<CacheUnavailableError> {
  const error = await checked.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(CacheUnavailableError);
  return error as CacheUnavailableError;
}

describe('openCacheCheckingInBackground', () => {
  it('opens a sound cache with the same pragmas and reports the whole file checked', async () => {
    const path = temp.path();
    cacheWithCustomers(path);
    const cache = openCacheCheckingInBackground(path);
    await expect(cache.checked).resolves.toBeUndefined();
    expect(cache.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(cache.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(cache.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(cache.db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(500);
    await cache.close();
  });

  it('opens a cache whose bulk replica table is corrupt, then refuses it when the background check finds it, leaving the file untouched', async () => {
    const path = temp.path();
    cacheWithCustomers(path);
    const bytes = corruptTable(path, 'customers');
    const cache = openCacheCheckingInBackground(path);
    const error = await refusalOf(cache.checked);
    expect(error.reason).toBe('corrupt');
    expect(error.message).toContain(path);
    expect(error.message).toContain('left untouched');
    await cache.close();
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('still refuses at open a corrupt table that only this desk holds (the outbox kind), without modifying it', () => {
    const path = temp.path();
    const db = openCache(path);
    const insert = db.prepare('INSERT INTO offers (id, version, data) VALUES (?, 1, ?)');
    for (let i = 0; i < 500; i++) insert.run(`o-${i}`, 'x'.repeat(200));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = corruptTable(path, 'offers');
    expect(() => openCacheCheckingInBackground(path)).toThrow(expect.objectContaining({ name: 'CacheUnavailableError', reason: 'corrupt' }));
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('checks the whole file at open when a migration is due, so a migration never writes to a corrupt file', () => {
    const path = temp.path();
    cacheWithCustomers(path);
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION - 1}`);
    raw.close();
    const bytes = corruptTable(path, 'customers');
    expect(() => openCacheCheckingInBackground(path)).toThrow(expect.objectContaining({ name: 'CacheUnavailableError', reason: 'corrupt' }));
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('closes while its check is still running (the check is stopped, nothing is left unhandled)', async () => {
    const path = temp.path();
    cacheWithCustomers(path);
    const cache = openCacheCheckingInBackground(path);
    await cache.close();
    expect(cache.db.open).toBe(false);
  });
});
