// What runs while an agent is logged in: the sync engine and the CTI stream, both holding the
// session token (in memory only). Stopping it ends both; the cache and its outbox stay.
import type { DeskEvent } from '../../shared/contract/desk-api';
import type { AppliedPage } from '../sync/apply-changes';
import type { CentralApiClient } from '../sync/central-api-client';
import { openCtiStream } from '../sync/cti-stream';
import { createSyncEngine, type SyncCache, type SyncEngine } from '../sync/sync-engine';

export interface SessionRuntimeOptions {
  api: CentralApiClient;
  apiUrl: string;
  token: string;
  cache: SyncCache;
  now: () => Date;
  pullIntervalMs?: number;
  uploadIntervalMs?: number;
  emit(event: DeskEvent): void;
  onPageApplied(page: AppliedPage): void;
  warn(message: string): void;
}

export interface SessionRuntime {
  engine: SyncEngine;
  stop(): Promise<void>;
}

export function startSessionRuntime(options: SessionRuntimeOptions): SessionRuntime {
  const engine = createSyncEngine({
    api: options.api,
    token: options.token,
    cache: options.cache,
    now: options.now,
    pullIntervalMs: options.pullIntervalMs,
    uploadIntervalMs: options.uploadIntervalMs,
    onStatus: (status) => options.emit({ type: 'sync', status }),
    onPageApplied: options.onPageApplied,
  });
  const cti = openCtiStream({
    apiUrl: options.apiUrl,
    token: options.token,
    onPush: (push) => options.emit({ type: 'call', event: push.event, at: push.at }),
    onProblem: options.warn,
  });
  engine.start();
  return {
    engine,
    async stop() {
      cti.close();
      await engine.stop();
    },
  };
}
