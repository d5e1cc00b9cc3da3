// The desk cache encrypted at rest (README "Personal data (PIPL)"): no customer's name or phone
// number readable in the file or its write-ahead log, opened only with its key (a wrong one is a
// clear refusal that leaves the file as it was), a plain cache of an earlier desk encrypted in place
// with every unsent outcome and draft kept, and the background check and the revocation wipe
// working on the encrypted file.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../db/cache/cache-unavailable-error';
import { wipeDeskCache } from '../../db/cache/desk-wipe';
import { createOpenInteractions } from '../../db/cache/open-interactions';
import { openCache, openCacheCheckingInBackground, type CacheDb } from '../../db/cache/open-cache';
import { createOutbox } from '../../db/outbox/outbox';
import { makeCustomer, makeDraft } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();
const newKey = () => randomBytes(32).toString('hex');
const AT = new Date('2025-06-01T10:00:00Z');
const CUSTOMERS = [1, 2, 3].map((n) => makeCustomer(n, { name: `张伟${n}号` }));
const NOTE = '客户说下个月再考虑';

function addCustomers(db: CacheDb): void {
  const insert = db.prepare('INSERT INTO customers (id, phone, name, id_number, version, data) VALUES (?, ?, ?, ?, 1, ?)');
  for (const customer of CUSTOMERS) insert.run(customer.id, customer.phone, customer.name, customer.idNumber, JSON.stringify(customer));
}

/** An outcome in the outbox and an open interaction with a typed draft: what exists only on this desk. */
function addDeskWork(db: CacheDb): string {
  const recorded = createOutbox(db).record(makeDraft({ phone: CUSTOMERS[0]!.phone, note: NOTE }), 'agent-1', AT);
  const interactions = createOpenInteractions(db);
  const request = { by: 'phone', phone: CUSTOMERS[1]!.phone, callId: 'call-9', source: 'call' } as const;
  interactions.open({ interactionId: 'call-9', agentId: 'agent-1', request, card: null, state: 'wrap_up', at: AT });
  const draft = { result: 'declined', note: NOTE, callbackAt: '2025-06-0', declineReason: 'price', notPresentedReason: null, chosenOfferId: null } as const;
  expect(interactions.saveDraft('agent-1', 'call-9', draft, AT)).toBe(true);
  return recorded.outcomeId;
}

function expectDeskWork(db: CacheDb, outcomeId: string): void {
  const outbox = createOutbox(db);
  expect(outbox.counts().pending).toBe(1);
  expect(outbox.takeDue(10, AT.getTime() + 1).map((o) => [o.outcomeId, o.draft.note])).toEqual([[outcomeId, NOTE]]);
  const [interaction] = createOpenInteractions(db).list('agent-1');
  expect(interaction?.draft).toMatchObject({ result: 'declined', note: NOTE, callbackAt: '2025-06-0' });
}

/** The personal data a cache file must not show: names and phone numbers as SQLite would store them (UTF-8 text). */
function expectNoPersonalData(file: string): void {
  const bytes = readFileSync(file);
  for (const customer of CUSTOMERS) {
    expect(bytes.includes(Buffer.from(customer.name)), `${file} shows ${customer.name}`).toBe(false);
    expect(bytes.includes(Buffer.from(customer.phone)), `${file} shows ${customer.phone}`).toBe(false);
  }
  expect(bytes.includes(Buffer.from(NOTE)), `${file} shows the note`).toBe(false);
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

  it('encrypts a plain cache of an earlier desk in place, its unsent outcome and typed draft kept, even those still in the WAL', () => {
    const livePath = temp.path();
    const plain = openCache(livePath);
    addCustomers(plain);
    const outcomeId = addDeskWork(plain);
    // The earlier desk was stopped hard: its last commits are only in the WAL beside the file.
    const path = temp.path();
    copyFileSync(livePath, path);
    copyFileSync(`${livePath}-wal`, `${path}-wal`);
    plain.close();
    expect(readFileSync(`${path}-wal`).includes(Buffer.from(NOTE))).toBe(true);

    const key = newKey();
    const db = openCache(path, { key });
    expectDeskWork(db, outcomeId);
    expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(CUSTOMERS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expectNoPersonalData(path);
    // Encrypted for good: a reader without the key sees no database.
    expect(refusal(() => openCache(path)).reason).toBe('not_a_database');
    const again = openCache(path, { key });
    expectDeskWork(again, outcomeId);
    again.close();
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
