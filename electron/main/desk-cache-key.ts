// Which key Electron main hands the data process for the cache (README "Personal data (PIPL)").
// A packaged desk takes it from the OS keychain only: without one (Linux with no keyring) it is
// refused, and the cache stays as it is, plain or encrypted, outbox included, until IT sets a
// keyring up. The packaged desk holds real customers' data on a laptop that may be lost; a key in
// a file beside the cache would protect nothing there. A development checkout (`npm start`, the
// Electron e2e on a headless Linux) falls back to a 0600 key file with a warning, and keeps using
// that file once it exists, so a keyring installed later does not lock its cache with a new key.
import { existsSync } from 'node:fs';
import { loadOrCreateCacheKey, type KeyVault } from '../../desk-backend/cache-key';
import { loadOrCreateKeyFile } from '../../desk-backend/hosting/cache-key-file';

/** The unsealed key file of a development checkout without a keychain. */
export const unsealedKeyPath = (cachePath: string) => `${cachePath}.unsealed-key`;

export interface DeskCacheKeyOptions {
  /** app.isPackaged */
  packaged: boolean;
  warn(message: string): void;
}

/** The cache's key (hex); throws CacheKeyError when a packaged desk cannot have it from the keychain. */
export function deskCacheKey(cachePath: string, vault: KeyVault, options: DeskCacheKeyOptions): string {
  const unsealed = unsealedKeyPath(cachePath);
  if (!options.packaged && (existsSync(unsealed) || !vault.isEncryptionAvailable())) {
    options.warn(
      `NOT KEYCHAIN PROTECTED: this development desk keeps its cache key in ${unsealed} (owner-only file), because no OS keychain was available when it was made. A packaged desk refuses to start without one.`,
    );
    return loadOrCreateKeyFile(unsealed, options.warn);
  }
  return loadOrCreateCacheKey(cachePath, vault);
}
