import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../db/cache/cache-unavailable-error';
import { LATEST_VERSION } from '../../db/cache/migrations';
import { openCache } from '../../db/cache/open-cache';
import { createOutbox } from '../../db/outbox/outbox';
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
    expect(outbox.takeDue(10, Date.now()).map((o) => o.outcomeId)).toEqual([recorded.outcomeId]);
    reopened.close();
  });
});
