// How the desk cache is encrypted at rest (README "Personal data (PIPL)"): SQLite3MultipleCiphers'
// ChaCha20-Poly1305, each page sealed with its own nonce and authenticated, under a 256-bit key
// made at random once per cache (desk-backend/cache-key.ts, desk-backend/hosting/cache-key-file.ts).
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

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

/** What a worker thread needs to read an encrypted cache as the desk does: the cipher and the raw key (none for a plain cache). */
export function cipherWorkerData(key: string | undefined): { cipherPragma?: string; keyPhrase?: string } {
  return key === undefined ? {} : { cipherPragma: CACHE_CIPHER_PRAGMA, keyPhrase: rawKeyPhrase(key).toString() };
}

/** Keys a connection before its first read (`key`), or encrypts the plain file it has open (`rekey`, outside WAL mode). */
export function applyCacheKey(db: Database, key: string, how: 'key' | 'rekey'): void {
  checkCacheKey(key);
  db.pragma(CACHE_CIPHER_PRAGMA);
  const status = how === 'key' ? db.key(rawKeyPhrase(key)) : db.rekey(rawKeyPhrase(key));
  if (status !== 0) throw new Error(`SQLite3MultipleCiphers refused the cache key (${how}: SQLite status ${status})`);
}

const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** SQLite's smallest page: every database file, encrypted or not, is a whole number of pages. */
const SMALLEST_PAGE_BYTES = 512;
const FIRST_PAGE_BYTES = 4096;

/** How many different byte values `n` random bytes show on average: ciphertext shows nearly that many. */
const distinctValuesOfRandomBytes = (n: number) => 256 * (1 - (255 / 256) ** n);

function firstBytes(path: string): { bytes: Buffer; size: number } {
  const file = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(FIRST_PAGE_BYTES);
    const read = readSync(file, bytes, 0, FIRST_PAGE_BYTES, 0);
    return { bytes: bytes.subarray(0, read), size: fstatSync(file).size };
  } finally {
    closeSync(file);
  }
}

/**
 * Why the file at `path`, which opens neither with the key nor plain, cannot be a cache encrypted
 * under another key; null when it may be one. SQLite3MultipleCiphers leaves no header, so only the
 * file's shape tells: whole pages, no plain SQLite header (a plain file that does not read is
 * damaged), and a first page as varied as ciphertext (text, zeros and a truncated header are not;
 * random bytes pass). Only reads.
 */
export function whyNotAnEncryptedCache(path: string): string | null {
  const { bytes, size } = firstBytes(path);
  if (size < SMALLEST_PAGE_BYTES) return `it holds ${size} bytes, less than one SQLite page`;
  if (size % SMALLEST_PAGE_BYTES !== 0) return `its ${size} bytes are not a whole number of SQLite pages`;
  if (bytes.subarray(0, PLAIN_SQLITE_HEADER.length).equals(PLAIN_SQLITE_HEADER)) return 'it starts as a plain SQLite database whose header is damaged';
  const distinct = new Set(bytes).size;
  // Ciphertext shows all 256 values in 4,096 bytes, about 221 in 512 (standard deviation about 4.5).
  if (distinct < 0.8 * distinctValuesOfRandomBytes(bytes.length))
    return `its first page holds only ${distinct} different byte values, which ciphertext never does`;
  return null;
}
