// Which key Electron main gives the data process: the keychain's in a packaged desk, refused when
// there is no keychain (no plain key file is written); a development checkout without a keychain
// uses an owner-only key file, says so, and keeps that file once it has one.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheKeyError, sealedKeyPath, type KeyVault } from '../../desk-backend/cache-key';
import { deskCacheKey, unsealedKeyPath } from '../../electron/main/desk-cache-key';

const dir = mkdtempSync(path.join(tmpdir(), 'clm-desk-cache-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cacheIn = (name: string) => path.join(dir, name, 'desk-cache.sqlite');

function vault(available: boolean): KeyVault {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(`sealed:${text}`),
    decryptString: (sealed) => sealed.toString('utf8').replace(/^sealed:/, ''),
  };
}

function warnings() {
  const seen: string[] = [];
  return { seen, warn: (message: string) => void seen.push(message) };
}

describe("Electron main's cache key", () => {
  it('comes sealed from the keychain in a packaged desk, and in a checkout that has one', () => {
    for (const packaged of [true, false]) {
      const cachePath = cacheIn(`keychain-${packaged}`);
      const log = warnings();
      const key = deskCacheKey(cachePath, vault(true), { packaged, warn: log.warn });
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(existsSync(sealedKeyPath(cachePath))).toBe(true);
      expect(existsSync(unsealedKeyPath(cachePath))).toBe(false);
      expect(log.seen).toEqual([]);
    }
  });

  it('is refused to a packaged desk without a keychain, with no key written anywhere', () => {
    const cachePath = cacheIn('packaged-no-keychain');
    expect(() => deskCacheKey(cachePath, vault(false), { packaged: true, warn: () => undefined })).toThrow(CacheKeyError);
    expect(existsSync(sealedKeyPath(cachePath))).toBe(false);
    expect(existsSync(unsealedKeyPath(cachePath))).toBe(false);
  });

  it('falls back to a key file, loudly, in a checkout without a keychain, and keeps it when a keychain appears', () => {
    const cachePath = cacheIn('checkout-no-keychain');
    const log = warnings();
    const key = deskCacheKey(cachePath, vault(false), { packaged: false, warn: log.warn });
    expect(existsSync(unsealedKeyPath(cachePath))).toBe(true);
    expect(log.seen).toEqual([expect.stringContaining('NOT KEYCHAIN PROTECTED')]);
    // A keyring set up later must not lock this cache with a new key.
    expect(deskCacheKey(cachePath, vault(true), { packaged: false, warn: () => undefined })).toBe(key);
    expect(existsSync(sealedKeyPath(cachePath))).toBe(false);
  });
});
