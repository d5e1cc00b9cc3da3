// A cache key kept in a file of its own, readable by this user only (0600): the key of browser
// mode (web-host, the development and demo host) and of an Electron desk run from a checkout on a
// machine without an OS keychain. It is NOT keychain protected: whoever reads the data folder as
// this user, as root or from a copied disk has the key with the cache. It keeps the cache's bytes
// out of a backup, a folder shared by mistake or another account's reach, and no more; a packaged
// desk takes its key from the keychain only (desk-backend/cache-key.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isCacheKey } from '../../db/cache/cache-cipher';
import { CACHE_KEY_BYTES, CacheKeyError } from '../cache-key';

const OWNER_ONLY = 0o600;

function readKeyFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The key (hex) in the file at `path`, made on first use; a file others may read is narrowed to its owner, with a warning. */
export function loadOrCreateKeyFile(path: string, warn: (message: string) => void): string {
  const stored = readKeyFile(path);
  if (stored !== null) {
    if (!isCacheKey(stored)) throw new CacheKeyError('key_unreadable', `${path} does not hold a 256-bit cache key; ask IT before removing the cache`);
    // Windows has no such mode bits (statSync reports 0o666); the file then lives in the user's profile.
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      warn(`the cache key file ${path} could be read by other accounts; it is now readable by its owner only`);
      chmodSync(path, OWNER_ONLY);
    }
    return stored;
  }
  const key = randomBytes(CACHE_KEY_BYTES).toString('hex');
  mkdirSync(dirname(path), { recursive: true });
  // Written whole or not at all, as the sealed key is: a half-written key would lock the cache for good.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${key}\n`, { mode: OWNER_ONLY });
  renameSync(temp, path);
  return key;
}
