// The cache key of browser mode (and of a development Electron desk without a keychain): one
// owner-only file, made once and the same ever after; a file others could read is narrowed; a file
// that holds no key is a clear refusal that leaves it (and so the cache) alone.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheKeyError } from '../../desk-backend/cache-key';
import { loadOrCreateKeyFile } from '../../desk-backend/hosting/cache-key-file';

const dir = mkdtempSync(path.join(tmpdir(), 'clm-cache-key-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = () => undefined;

describe('the cache key file', () => {
  it('is made once with owner-only permissions and read back the same', () => {
    const file = path.join(dir, 'first', 'desk-caches.key');
    const key = loadOrCreateKeyFile(file, quiet);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(file, quiet)).toBe(key);
    expect(loadOrCreateKeyFile(path.join(dir, 'second', 'desk-caches.key'), quiet)).not.toBe(key);
  });

  it.skipIf(process.platform === 'win32')('narrows a key file others could read, and says so', () => {
    const file = path.join(dir, 'loose', 'desk-caches.key');
    const key = loadOrCreateKeyFile(file, quiet);
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    expect(loadOrCreateKeyFile(file, (message) => warnings.push(message))).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([expect.stringContaining('readable by its owner only')]);
  });

  it('refuses a file that holds no key, and leaves it in place', () => {
    const file = path.join(dir, 'damaged.key');
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(file, quiet)).toThrow(CacheKeyError);
    expect(readFileSync(file, 'utf8')).toBe('not a key\n');
  });
});
