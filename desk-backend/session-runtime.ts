// What runs while an agent is logged in: the sync engine and the CTI stream, both using the
// session's tokens (in memory only). Stopping it ends both; the cache and its outbox stay.
import type { CtiCallEvent, CtiPush } from '../shared/contract/central-api';
import type { CustomerCard, DeskEvent } from '../shared/contract/desk-api';
import type { AppliedPage } from '../db/replica/apply-changes';
import type { CentralApiClient, DeskLoginResponse, SessionApi } from './central-api/central-api-client';
import { openCtiStream, type CtiStream } from './central-api/cti-stream';
import { createSyncEngine, type SyncCache, type SyncEngine } from './replication/sync-engine';
import { createSessionTokens } from './session-tokens';

const CTI_OVERLAP_MS = 5000;
const RECENT_PUSHES_KEPT = 50;

export interface SessionRuntimeOptions {
  api: CentralApiClient;
  apiUrl: string;
  login: DeskLoginResponse;
  cache: SyncCache;
  now: () => Date;
  pullIntervalMs?: number;
  uploadIntervalMs?: number;
  emit(event: DeskEvent): void;
  /** The caller's card for a ringing call pushed `at` (maybe from the central API), or null when it cannot be built (the renderer asks then). */
  cardForRingingCall(event: CtiCallEvent, at: string): Promise<CustomerCard | null>;
  onPageApplied(page: AppliedPage): void;
  warn(message: string): void;
}

export interface SessionRuntime {
  engine: SyncEngine;
  /** The central API as this session: each call carries its current access token (renewed as needed). */
  api: SessionApi;
  /** Stops syncing; the session stays valid on the server (a restarted desk logs in again). */
  stop(): Promise<void>;
  /** Stops syncing and ends the session on the server: its refresh token is revoked (best effort). */
  logOut(): Promise<void>;
}

export function startSessionRuntime(options: SessionRuntimeOptions): SessionRuntime {
  const tokens = createSessionTokens({ api: options.api, login: options.login, now: options.now });
  const api = options.api.forSession(tokens);
  const engine = createSyncEngine({
    api,
    cache: options.cache,
    agentId: options.login.user.id,
    now: options.now,
    pullIntervalMs: options.pullIntervalMs,
    uploadIntervalMs: options.uploadIntervalMs,
    onStatus: (status) => options.emit({ type: 'sync', status }),
    onPageApplied: options.onPageApplied,
    warn: options.warn,
  });
  // While two streams overlap both receive the same push (same payload, same `at`): pass it on once.
  const recentPushes: string[] = [];
  // Pushes are passed on in the order they came, even while a ringing caller's card is asked of the central API.
  let delivered = Promise.resolve();
  async function deliver(push: CtiPush): Promise<void> {
    if (stopped) return;
    const card = push.event.event === 'offered' ? await options.cardForRingingCall(push.event, push.at) : null;
    if (stopped) return;
    options.emit(card === null ? { type: 'call', event: push.event, at: push.at } : { type: 'call', event: push.event, at: push.at, card });
  }
  const openCti = (token: string): CtiStream => {
    const stream = openCtiStream({
      apiUrl: options.apiUrl,
      token,
      // Hints steer the engine from the current stream only: one being retired says nothing about the link.
      onChangesAvailable: (seq) => engine.changesAvailable(seq),
      onHintsLink: (up) => {
        if (stream === cti) engine.setHintsLink(up);
      },
      onPush: (push) => {
        const key = `${push.at}|${push.event.callId}|${push.event.event}`;
        if (recentPushes.includes(key)) return;
        recentPushes.push(key);
        if (recentPushes.length > RECENT_PUSHES_KEPT) recentPushes.shift();
        delivered = delivered.then(() => deliver(push)).catch((error: unknown) => options.warn(`call event not passed on: ${String(error)}`));
        // The agent is about to say hello: the download writes nothing until the caller's card is out.
        if (push.event.event === 'offered') engine.giveWay(delivered);
      },
      onProblem: options.warn,
    });
    return stream;
  };
  let cti = openCti(tokens.current());
  let stopped = false;
  const retiring = new Set<{ stream: CtiStream; timer: NodeJS.Timeout }>();
  // The server closes a CTI socket when its token expires, and a reconnect must present a live
  // token. The new stream opens first and the old one (its token still valid) stays a few seconds,
  // so no call is missed while the new one connects.
  tokens.onRenewed((token) => {
    if (stopped) return;
    const previous = { stream: cti, timer: setTimeout(() => retire(previous), CTI_OVERLAP_MS) };
    previous.timer.unref();
    retiring.add(previous);
    cti = openCti(token);
  });
  function retire(entry: { stream: CtiStream; timer: NodeJS.Timeout }): void {
    clearTimeout(entry.timer);
    entry.stream.close();
    retiring.delete(entry);
  }
  async function stop(): Promise<void> {
    stopped = true;
    for (const entry of [...retiring]) retire(entry);
    cti.close();
    await engine.stop();
  }
  engine.start();
  return {
    engine,
    api,
    stop,
    async logOut() {
      await stop();
      // After the last upload: the outbox may still have needed the session's tokens.
      await tokens.revoke().catch((error: unknown) => {
        options.warn(`logout not confirmed by the central API (${error instanceof Error ? error.message : String(error)}); the session lapses at its end`);
      });
    },
  };
}
