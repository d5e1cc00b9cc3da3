// How the benchmarks open the desk cache: as the desk ships it, encrypted (README "Personal data
// (PIPL)"), through the desk's own openCache and openDeskBackend, so `npm run bench` measures the
// shipped path. One fixed key for every bench and child process; it protects nothing and needs not
// to (bench/cipher-cost.ts alone compares the plain file with the encrypted one).
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { applyCacheKey } from '../../db/cache/cache-cipher';
import { openCache, type CacheDb } from '../../db/cache/open-cache';

export const BENCH_CACHE_KEY = createHash('sha256').update('CLM Desk benchmark cache').digest('hex');

/** The cache as the desk opens it, whole file checked first (openCache with the key). */
export const openBenchCache = (path: string): CacheDb => openCache(path, { key: BENCH_CACHE_KEY });

/** SQLite alone on the same encrypted file, for the raw baselines: the desk's SQLite module keyed, no pragma, no check, no migration. */
export function openBareCache(path: string, options: { readonly?: boolean } = {}): CacheDb {
  const db = new Database(path, options);
  try {
    applyCacheKey(db, BENCH_CACHE_KEY, 'key');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
