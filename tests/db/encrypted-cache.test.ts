// The desk cache encrypted at rest (README "Personal data (PIPL)"): no customer's name or phone
// number readable in the file or its write-ahead log, opened only with its key (a wrong one is a
// clear refusal that leaves the file as it was, told apart from a file that is no database at all),
// a plain cache of an earlier desk encrypted in place on a worker thread with every unsent outcome
// and draft kept, and the background check and the revocation wipe working on the encrypted file.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../db/cache/cache-unavailable-error';
import { wipeDeskCache } from '../../db/cache/desk-wipe';
import { encryptPlainCache, openCache, openCacheCheckingInBackground, type CacheDb } from '../../db/cache/open-cache';
import { createOutbox } from '../../db/outbox/outbox';
import { addDeskWork as addDeskWorkFor, DESK_WORK_NOTE, expectDeskWork } from './support/desk-work';
import { cacheWithCustomers, corruptTable } from './support/corrupt-cache';
import { makeCustomer } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();
const newKey = () => randomBytes(32).toString('hex');
const CUSTOMERS = [1, 2, 3].map((n) => makeCustomer(n, { name: `张伟${n}号` }));

function addCustomers(db: CacheDb): void {
  const insert = db.prepare('INSERT INTO customers (id, phone, name, id_number, version, data) VALUES (?, ?, ?, ?, 1, ?)');
  for (const customer of CUSTOMERS) insert.run(customer.id, customer.phone, customer.name, customer.idNumber, JSON.stringify(customer));
}

const addDeskWork = (db: CacheDb) => addDeskWorkFor(db, CUSTOMERS[0]!.phone, CUSTOMERS[1]!.phone);

/** The personal data a cache file must not show: names and phone numbers as SQLite would store them (UTF-8 text). */
function expectNoPersonalData(file: string): void {
  const bytes = readFileSync(file);
  for (const customer of CUSTOMERS) {
    expect(bytes.includes(Buffer.from(customer.name)), `${file} shows ${customer.name}`).toBe(false);
    expect(bytes.includes(Buffer.from(customer.phone)), `${file} shows ${customer.phone}`).toBe(false);
  }
  expect(bytes.includes(Buffer.from(DESK_WORK_NOTE)), `${file} shows the note`).toBe(false);
  expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
}

function refusal(open: () => unknown): CacheUnavailableError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(CacheUnavailableError);
    return error as CacheUnavailableError;
  }
  throw new Error('the cache opened');
}

describe('the encrypted desk cache', () => {
  it('keeps no readable name, phone number or note in the file or its write-ahead log', () => {
    const path = temp.path();
    const key = newKey();
    const db = openCache(path, { key });
    addCustomers(db);
    addDeskWork(db);
    // Still open: the last commits are in the WAL, not yet in the file.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);
    expectNoPersonalData(`${path}-wal`);
    expectNoPersonalData(path);
    db.close();
    expectNoPersonalData(path);
  });

  it('opens with its key and reads back what was written', () => {
    const path = temp.path();
    const key = newKey();
    const db = openCache(path, { key });
    addCustomers(db);
    const outcomeId = addDeskWork(db);
    db.close();
    const reopened = openCache(path, { key });
    expect(reopened.prepare('SELECT name FROM customers ORDER BY id').pluck().all()).toEqual(CUSTOMERS.map((c) => c.name));
    expectDeskWork(reopened, outcomeId);
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
    reopened.close();
  });

  it('refuses a wrong key, or none, with a clear error and leaves the file as it was', () => {
    const path = temp.path();
    const db = openCache(path, { key: newKey() });
    addDeskWork(db);
    db.close();
    const before = readFileSync(path);

    const wrong = refusal(() => openCache(path, { key: newKey() }));
    expect(wrong.reason).toBe('wrong_key');
    expect(wrong.message).toContain(path);
    expect(wrong.message).toContain("does not open with this desk's cache key");
    expect(wrong.message).toContain('left untouched');
    expect(refusal(() => openCache(path)).reason).toBe('not_a_database');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses a key that is not 256 bits in hex before touching the file (it would otherwise become SQLite's passphrase)", () => {
    expect(() => openCache(temp.path(), { key: 'secret' })).toThrow('64 lower-case hex digits');
  });

  it('encrypts a plain cache of an earlier desk in place, its unsent outcome and typed draft kept, even those still in the WAL', async () => {
    const livePath = temp.path();
    const plain = openCache(livePath);
    addCustomers(plain);
    const outcomeId = addDeskWork(plain);
    // The earlier desk was stopped hard: its last commits are only in the WAL beside the file.
    const path = temp.path();
    copyFileSync(livePath, path);
    copyFileSync(`${livePath}-wal`, `${path}-wal`);
    plain.close();
    expect(readFileSync(`${path}-wal`).includes(Buffer.from(DESK_WORK_NOTE))).toBe(true);

    const key = newKey();
    await encryptPlainCache(path, { key });
    expectNoPersonalData(path);
    const db = openCache(path, { key });
    expectDeskWork(db, outcomeId);
    expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(CUSTOMERS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expectNoPersonalData(path);
    // Encrypted for good: a reader without the key sees no database.
    expect(refusal(() => openCache(path)).reason).toBe('not_a_database');
    // Encrypting again changes nothing.
    const encrypted = readFileSync(path);
    await encryptPlainCache(path, { key });
    expect(readFileSync(path).equals(encrypted)).toBe(true);
    const again = openCache(path, { key });
    expectDeskWork(again, outcomeId);
    again.close();
  });

  it('leaves a corrupt plain cache as it was instead of encrypting it, and refuses to open a plain cache not encrypted first', async () => {
    const path = temp.path();
    cacheWithCustomers(path);
    const corruptBytes = corruptTable(path, 'customers');
    await expect(encryptPlainCache(path, { key: newKey() })).rejects.toThrow('(corrupt)');
    expect(readFileSync(path).equals(corruptBytes)).toBe(true);

    const plainPath = temp.path();
    const plain = openCache(plainPath);
    addDeskWork(plain);
    plain.close();
    const before = readFileSync(plainPath);
    const refused = refusal(() => openCache(plainPath, { key: newKey() }));
    expect(refused.message).toContain('plain cache not yet encrypted');
    expect(readFileSync(plainPath).equals(before)).toBe(true);
  });

  it('tells a file that is no database at all from one encrypted under another key, and leaves both as they were', () => {
    const key = newKey();
    const files: [string, Buffer][] = [
      ['text', Buffer.from('this is the agent notes file, not a database\n'.repeat(200))],
      ['a truncated header', Buffer.from('SQLite format 3\0\x10\x00\x01\x01', 'latin1')],
      ['zeros in whole pages', Buffer.alloc(8192)],
      ['a plain header over a damaged first page', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096 - 16, 0xff)])],
    ];
    for (const [what, bytes] of files) {
      const path = temp.path();
      writeFileSync(path, bytes);
      const refused = refusal(() => openCache(path, { key }));
      expect(refused.reason, what).toBe('not_a_database');
      expect(refused.message).toContain('the file is not a desk cache');
      expect(readFileSync(path).equals(bytes), what).toBe(true);
    }
    // Random bytes in whole pages cannot be told from another key's ciphertext: the refusal names both.
    const path = temp.path();
    const random = randomBytes(8192);
    writeFileSync(path, random);
    const refused = refusal(() => openCache(path, { key }));
    expect(refused.reason).toBe('wrong_key');
    expect(refused.message).toContain('other random-looking bytes');
    expect(readFileSync(path).equals(random)).toBe(true);
  });

  it('is checked in the background with its key', async () => {
    const path = temp.path();
    const key = newKey();
    const db = openCache(path, { key });
    addCustomers(db);
    db.close();
    const cache = openCacheCheckingInBackground(path, { key });
    await expect(cache.checked).resolves.toBeUndefined();
    expect(cache.db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(CUSTOMERS.length);
    await cache.close();
  });

  it("is wiped on revocation like a plain one, and stays encrypted and readable with the desk's key", () => {
    const path = temp.path();
    const key = newKey();
    const db = openCache(path, { key });
    addCustomers(db);
    addDeskWork(db);
    const held = wipeDeskCache(db, 'hold');
    expect(held.outcomes).toBe(1);
    expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(0);
    db.close();
    expectNoPersonalData(path);
    const reopened = openCache(path, { key });
    expect(createOutbox(reopened).counts().pending).toBe(1);
    expect(wipeDeskCache(reopened, 'discard').outcomes).toBe(0);
    reopened.close();
  });
});
