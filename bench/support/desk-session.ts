// A desk backend (desk-backend/desk-backend.ts) driven the way the renderer drives it: log in,
// which starts the sync engine, then 'sync/now', which joins the pull in flight and resolves
// once the cache has caught up. Timers are stretched so only the measured pulls run.
import type { SyncStatus } from '../../shared/contract/desk-api';
import type { DeskBackend } from '../../desk-backend/desk-backend';
import { openDeskBackend } from '../../desk-backend/opening-desk-backend';
import { BENCH_CACHE_KEY } from './bench-cache';
import { BENCH_AGENT } from './central-api-process';

export interface DeskSession {
  backend: DeskBackend;
  /** Warnings the desk logged (slow handlers, sync problems). */
  warnings: string[];
  syncNow(): Promise<SyncStatus>;
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;

async function invokeOrThrow<T>(backend: DeskBackend, channel: string, input: unknown): Promise<T> {
  const result = await backend.invoke(channel, input);
  if (!result.ok) throw new Error(`desk ${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Opens the cache and logs in; the first pull starts now (await syncNow() to wait for it). */
export async function openDeskSession(options: { cachePath: string; apiUrl: string; fetch?: typeof fetch }): Promise<DeskSession> {
  const warnings: string[] = [];
  // As the desk hosts open it: encrypted with a key (bench-cache.ts).
  const backend = openDeskBackend({
    cachePath: options.cachePath,
    cacheKey: BENCH_CACHE_KEY,
    apiUrl: options.apiUrl,
    fetch: options.fetch,
    pullIntervalMs: HOUR_MS,
    uploadIntervalMs: HOUR_MS,
    logger: { warn: (message) => void warnings.push(message) },
  });
  try {
    await invokeOrThrow(backend, 'session/login', BENCH_AGENT);
  } catch (error) {
    await backend.close();
    throw error;
  }
  return {
    backend,
    warnings,
    async syncNow() {
      const status = await invokeOrThrow<SyncStatus>(backend, 'sync/now', {});
      if (status.lastError !== null) throw new Error(`desk sync reported: ${status.lastError}`);
      return status;
    },
    close: () => backend.close(),
  };
}
