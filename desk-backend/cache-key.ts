// The key an encrypted desk cache would be opened with (README "Personal data (PIPL)"): 32 random
// bytes made once per cache, kept beside it only as the OS keychain sealed them (Electron main's
// safeStorage: DPAPI, Keychain, libsecret), so the file copied off the machine is useless without
// this user's login. Electron main reads it once the app is ready and hands it to the data
// process, which opens the cache with it (db/cache/cache-cipher.ts).
// The two failures are told apart on purpose: no keychain (Linux without a keyring) must not fall
// back to a key in plain text, and a key that no longer opens (the keystore was reset) must not be
// replaced silently, since the cache may hold outcomes not uploaded yet.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isCacheKey } from '../db/cache/cache-cipher';

/** What the desk needs of Electron's safeStorage; main hands it over (or a test, a fake). */
export interface KeyVault {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const CACHE_KEY_BYTES = 32;

export class CacheKeyError extends Error {
  override readonly name = 'CacheKeyError';
  constructor(
    readonly reason: 'no_keychain' | 'key_unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** Where the sealed key of the cache at `cachePath` lives. */
export const sealedKeyPath = (cachePath: string) => `${cachePath}.key`;

/** The key file's bytes, or null when there is none yet. */
export function readKeyFile(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The cache's key (hex), made and sealed on first use; throws CacheKeyError when it cannot be had safely. */
export function loadOrCreateCacheKey(cachePath: string, vault: KeyVault): string {
  if (!vault.isEncryptionAvailable()) throw new CacheKeyError('no_keychain', 'the OS keychain is not available, so the cache key cannot be sealed');
  const path = sealedKeyPath(cachePath);
  const sealed = readKeyFile(path);
  if (sealed !== null) {
    let key: string;
    try {
      key = vault.decryptString(sealed);
    } catch (error) {
      throw new CacheKeyError(
        'key_unreadable',
        `the sealed cache key no longer opens (${error instanceof Error ? error.message : String(error)}); ask IT before removing the cache`,
      );
    }
    if (!isCacheKey(key)) throw new CacheKeyError('key_unreadable', 'the sealed cache key is not a 256-bit key; ask IT before removing the cache');
    return key;
  }
  const key = newCacheKey();
  writeKeyFile(path, vault.encryptString(key));
  return key;
}

/** A fresh random cache key (hex). */
export const newCacheKey = () => randomBytes(CACHE_KEY_BYTES).toString('hex');

/** Writes a key file readable by its owner only, whole or not at all: a half-written key would lock the cache for good. */
export function writeKeyFile(path: string, contents: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents, { mode: 0o600 });
  renameSync(temp, path);
}
