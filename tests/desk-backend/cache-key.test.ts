// The desk cache's key, sealed by the OS keychain (Electron safeStorage in the desk; a fake here):
// made once and the same ever after, never stored in plain text, and a keychain that is missing or
// no longer opens the key is a clear refusal that leaves the sealed key (and so the cache) alone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheKeyError, loadOrCreateCacheKey, sealedKeyPath, type KeyVault } from '../../desk-backend/cache-key';

const dir = mkdtempSync(path.join(tmpdir(), 'clm-cache-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A keychain that seals by XOR with its own secret: enough to show the plain key never reaches the disk. */
function fakeVault(secret = 0x5c, available = true): KeyVault {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ secret));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.concat([Buffer.from('sealed:'), xor(Buffer.from(text, 'utf8'))]),
    decryptString: (sealed) => {
      if (!sealed.subarray(0, 7).equals(Buffer.from('sealed:'))) throw new Error('not sealed by this keychain');
      return xor(sealed.subarray(7)).toString('utf8');
    },
  };
}

const cacheIn = (name: string) => path.join(dir, name, 'desk-cache.sqlite');

describe('the desk cache key', () => {
  it('is made once, sealed on disk, and read back the same', () => {
    const cachePath = cacheIn('first');
    const key = loadOrCreateCacheKey(cachePath, fakeVault());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(sealedKeyPath(cachePath)).toString('latin1')).not.toContain(key);
    expect(loadOrCreateCacheKey(cachePath, fakeVault())).toBe(key);
    expect(loadOrCreateCacheKey(cacheIn('second'), fakeVault())).not.toBe(key);
  });

  it('refuses without a keychain rather than keep the key in plain text', () => {
    const cachePath = cacheIn('no-keychain');
    expect(() => loadOrCreateCacheKey(cachePath, fakeVault(0x5c, false))).toThrow(CacheKeyError);
    expect(() => readFileSync(sealedKeyPath(cachePath))).toThrow();
  });

  it('refuses a key the keychain no longer opens, and leaves it in place for IT', () => {
    const cachePath = cacheIn('reset');
    loadOrCreateCacheKey(cachePath, fakeVault());
    const sealed = readFileSync(sealedKeyPath(cachePath));
    const refused = (() => {
      try {
        loadOrCreateCacheKey(cachePath, {
          ...fakeVault(),
          decryptString: () => {
            throw new Error('keystore reset');
          },
        });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(CacheKeyError);
    expect((refused as CacheKeyError).reason).toBe('key_unreadable');
    expect(readFileSync(sealedKeyPath(cachePath)).equals(sealed)).toBe(true);

    writeFileSync(sealedKeyPath(cachePath), fakeVault().encryptString('not a key'));
    expect(() => loadOrCreateCacheKey(cachePath, fakeVault())).toThrow(/not a 256-bit key/);
  });
});
