// How the desk cache is encrypted at rest (README "Personal data (PIPL)"): SQLite3MultipleCiphers'
// ChaCha20-Poly1305, each page sealed with its own nonce and authenticated, under a 256-bit key
// made at random once per cache (desk-backend/cache-key.ts, desk-backend/hosting/cache-key-file.ts).
import type { Database } from 'better-sqlite3-multiple-ciphers';

/** The desk's one native SQLite module: better-sqlite3's code and API with SQLite3MultipleCiphers compiled in. */
export const SQLITE_MODULE = 'better-sqlite3-multiple-ciphers';

/** Named although it is the library's default, so a change of default in an upgrade cannot strand a cache. */
export const CACHE_CIPHER_PRAGMA = "cipher='chacha20'";

/** 256 bits as 64 lower-case hex digits: the only key a cache takes. */
export const isCacheKey = (key: string): boolean => /^[0-9a-f]{64}$/.test(key);

export function checkCacheKey(key: string): void {
  if (!isCacheKey(key)) throw new TypeError('a cache key is 256 bits written as 64 lower-case hex digits');
}

/**
 * What SQLite3MultipleCiphers is handed: "raw:" and the hex key skip its key derivation (PBKDF2,
 * 64,007 rounds at every open and again in the background check), which only strengthens a
 * password; this key is already 256 random bits. Given through key()/rekey(), never a PRAGMA, so
 * CLM_DESK_TRACE_SQL's statement log never holds it.
 */
export const rawKeyPhrase = (key: string): Buffer => Buffer.from(`raw:${key}`);

/** Keys a connection before its first read (`key`), or encrypts the plain file it has open (`rekey`, outside WAL mode). */
export function applyCacheKey(db: Database, key: string, how: 'key' | 'rekey'): void {
  checkCacheKey(key);
  db.pragma(CACHE_CIPHER_PRAGMA);
  const status = how === 'key' ? db.key(rawKeyPhrase(key)) : db.rekey(rawKeyPhrase(key));
  if (status !== 0) throw new Error(`SQLite3MultipleCiphers refused the cache key (${how}: SQLite status ${status})`);
}
