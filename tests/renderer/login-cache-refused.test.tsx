// @vitest-environment jsdom
// A login refused because the user's local cache cannot be used says why when the agent or IT can
// act on it, in both languages: a file that is no database at all, or one this computer's key does
// not open. Other reasons keep the generic "local cache unavailable".
import { cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Language } from '../../renderer/i18n/languages';
import type { CacheUnavailableReason } from '../../shared/contract/desk-api';
import { loginRefusedWith } from './render-desk';

afterEach(cleanup);

const loginRefused = (language: Language, cacheReason: CacheUnavailableReason) =>
  loginRefusedWith(language, { code: 'cache_unavailable', message: `local cache /data/desk-cache.sqlite is unavailable (${cacheReason})`, cacheReason });

describe('login refused because the local cache cannot be used', () => {
  it('says in Chinese that the file is no database, or that the key does not open it, and that the file was kept', async () => {
    expect(await loginRefused('zh-CN', 'not_a_database')).toContain('本地缓存文件不是数据库');
    cleanup();
    expect(await loginRefused('zh-CN', 'wrong_key')).toContain('本机的密钥打不开本地缓存');
  });

  it('says the same in English', async () => {
    expect(await loginRefused('en', 'not_a_database')).toContain('The local cache file is not a database');
    cleanup();
    const wrongKey = await loginRefused('en', 'wrong_key');
    expect(wrongKey).toContain("This computer's key does not open the local cache");
    expect(wrongKey).not.toContain('not a database');
  });

  it('keeps the generic words for a reason without its own', async () => {
    expect(await loginRefused('en', 'corrupt')).toBe('The local cache is unavailable, tell your supervisor');
  });
});
