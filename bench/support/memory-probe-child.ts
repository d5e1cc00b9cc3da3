// Child process for the memory benchmark, in one of three modes: 'desk' (the desk backend on the
// encrypted cache, card lookups through its contract), 'bare' (SQLite alone, keyed, on the same file,
// the same numbers by a raw prepared lookup) or 'empty' (nothing loaded: what Node + tsx cost).
// Modules are imported per mode so a mode's RSS holds only what it needs.
import { readFileSync } from 'node:fs';
import { childConfig, failStartup, serveRpc } from './child-rpc';
import { RAW_LOOKUP_SQL } from './raw-lookup';

export type MemoryProbeMode = 'desk' | 'bare' | 'empty';

export interface MemoryProbeConfig {
  mode: MemoryProbeMode;
  cachePath: string;
  /** The central API the desk logs in to (cards need a session); the other modes ignore it. */
  apiUrl: string;
}

export interface MemorySnapshot {
  rssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

const mb = (bytes: number) => bytes / 1024 ** 2;

function snapshot(): MemorySnapshot {
  // --expose-gc is passed by the parent: measure what is retained, not garbage awaiting collection.
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  const peakKb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return {
    rssMb: mb(usage.rss),
    peakRssMb: peakKb === undefined ? Number.NaN : Number(peakKb) / 1024,
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
  };
}

async function lookupFunction(config: MemoryProbeConfig): Promise<{ lookup(phone: string): Promise<boolean>; close(): Promise<void> }> {
  switch (config.mode) {
    case 'desk': {
      const { openDeskBackend } = await import('../../desk-backend/opening-desk-backend');
      const { BENCH_CACHE_KEY } = await import('./bench-cache');
      const { BENCH_AGENT } = await import('./central-api-process');
      // Logged in as an agent is how a desk holds its cache: cards need a session. The central API
      // holds users and offers only, below the fixture's cursor, so the desk pulls nothing.
      const backend = openDeskBackend({ cachePath: config.cachePath, apiUrl: config.apiUrl, cacheKey: BENCH_CACHE_KEY, logger: { warn: () => undefined } });
      const login = await backend.invoke('session/login', BENCH_AGENT);
      if (!login.ok) throw new Error(`the desk could not log in: ${login.error.message}`);
      return {
        async lookup(phone) {
          const result = await backend.invoke('card/byPhone', { phone, callId: null });
          return result.ok && (result.value as { kind: string }).kind === 'known';
        },
        close: () => backend.close(),
      };
    }
    case 'bare': {
      const { openBareCache } = await import('./bench-cache');
      const db = openBareCache(config.cachePath, { readonly: true });
      const byPhone = db.prepare<[string], string>(RAW_LOOKUP_SQL).pluck();
      return { lookup: async (phone) => byPhone.get(phone) !== undefined, close: async () => void db.close() };
    }
    case 'empty':
      return { lookup: async () => true, close: async () => undefined };
  }
}

try {
  const config = childConfig<MemoryProbeConfig>();
  const probe = await lookupFunction(config);
  serveRpc(
    { mode: config.mode },
    {
      async lookupPass(arg: { phones: string[] }) {
        let found = 0;
        for (const phone of arg.phones) if (await probe.lookup(phone)) found += 1;
        return { found };
      },
      snapshot: async () => snapshot(),
    },
    () => probe.close(),
  );
} catch (error) {
  failStartup(error);
}
