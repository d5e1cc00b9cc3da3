// A cache key kept in a file of its own, readable by this user only (0600): the key of browser
// mode (web-host, the development and demo host) and of an Electron desk run from a checkout on a
// machine without an OS keychain. It is NOT keychain protected: whoever reads the data folder as
// this user, as root or from a copied disk has the key with the cache. It keeps the cache's bytes
// out of a backup, a folder shared by mistake or another account's reach, and no more; a packaged
// desk takes its key from the keychain only (desk-backend/cache-key.ts).
import { chmodSync, statSync } from 'node:fs';
import { isCacheKey } from '../../db/cache/cache-cipher';
import { CacheKeyError, newCacheKey, readKeyFile, writeKeyFile } from '../cache-key';

const OWNER_ONLY = 0o600;

/** The key (hex) in the file at `path`, made on first use; a file others may read is narrowed to its owner, with a warning. */
export function loadOrCreateKeyFile(path: string, warn: (message: string) => void): string {
  const stored = readKeyFile(path)?.toString('utf8').trim() ?? null;
  if (stored !== null) {
    if (!isCacheKey(stored)) throw new CacheKeyError('key_unreadable', `${path} does not hold a 256-bit cache key; ask IT before removing the cache`);
    // Windows has no such mode bits (statSync reports 0o666); the file then lives in the user's profile.
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      warn(`the cache key file ${path} could be read by other accounts; it is now readable by its owner only`);
      chmodSync(path, OWNER_ONLY);
    }
    return stored;
  }
  const key = newCacheKey();
  writeKeyFile(path, `${key}\n`);
  return key;
}
