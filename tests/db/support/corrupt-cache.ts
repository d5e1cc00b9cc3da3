// Caches with a damaged table, for the tests that check a corrupt file is refused before use.
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openCache } from '../../../db/cache/open-cache';
import { makeCustomer } from './fixtures';

/** A cache whose customers table spans many pages, so scribbling over its root page breaks only that table. */
export function cacheWithCustomers(path: string): void {
  const db = openCache(path);
  const insert = db.prepare('INSERT INTO customers (id, phone, name, id_number, version, data) VALUES (?, ?, ?, ?, 1, ?)');
  for (let i = 1; i <= 500; i++) {
    const customer = makeCustomer(i);
    insert.run(customer.id, customer.phone, customer.name, customer.idNumber, JSON.stringify(customer));
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Scribbles over the b-tree header of a table's root page; returns the file's bytes after. */
export function corruptTable(path: string, table: string): Buffer {
  const raw = new Database(path, { readonly: true });
  const rootPage = raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(table) as number;
  raw.close();
  const bytes = readFileSync(path);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0xff, pageSize * (rootPage - 1), pageSize * (rootPage - 1) + 64);
  writeFileSync(path, bytes);
  return bytes;
}
