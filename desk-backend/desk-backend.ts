// The desk backend: the one implementation of the desk contract (shared/contract/desk-api.ts).
// It owns the SQLite cache (the single writer), validates every input at the boundary, and keeps
// the desk useful offline: cards and outcomes work from the cache, the outbox drains later.
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { Role } from '../shared/contract/central-api';
import {
  OutboundQueue,
  deskContract,
  isDeskOperation,
  type CustomerCard,
  type DeskOperation,
  type DeskContract,
  type DeskEvent,
  type DeskOutput,
  type DeskResult,
  type Session,
} from '../shared/contract/desk-api';
import type { OutcomeDraft } from '../shared/contract/outcomes';
import { OutcomeReport, RetentionReport, type CardPurpose, type ReportQuery } from '../shared/contract/reports';
import { createAnswerCache } from '../db/cache/answer-cache';
import { createCardQuery, type CardContext } from '../db/cache/card-query';
import { createCustomerEventOverlay } from '../db/cache/customer-event-overlay';
import { createCustomerSearch } from '../db/cache/customer-search';
import { openCache } from '../db/cache/open-cache';
import { createOpenInteractions } from '../db/cache/open-interactions';
import { createScoringBundleCache } from '../db/cache/scoring-bundle-cache';
import { createChangeApplier } from '../db/replica/apply-changes';
import { createSnapshotBootstrap } from '../db/replica/snapshot-bootstrap';
import { createAuditOutbox, createDiscardOutbox } from '../db/outbox/audit-outbox';
import { createCentralApiClient } from './central-api/central-api-client';
import { createEventOutbox } from '../db/outbox/event-outbox';
import type { BackoffPolicy } from '../db/outbox/backoff';
import { createOutbox } from '../db/outbox/outbox';
import type { SyncCache } from './replication/sync-engine';
import { createSyncStateStore } from '../db/replica/sync-state';
import { createSyncStatusReader } from '../db/replica/sync-status';
import { fetchOrCached } from './cached-fetch';
import { DeskError, describeIssues, toDeskFailure } from './desk-failure';
import { timed } from './handler-timing';
import { rankOutboundQueue } from './outbound-queue';
import { DEFAULT_CONTACT_HOURS, withinContactHours } from '../shared/domain/contact-hours';
import { contactChannel } from '../shared/domain/contact-channel';
import { startSessionRuntime, type SessionRuntime } from './session-runtime';

export interface DeskBackendOptions {
  cachePath: string;
  /** better-sqlite3 built for the running runtime when it is not Node (see openCache). */
  sqliteBinding?: string;
  apiUrl: string;
  fetch?: typeof fetch;
  now?: () => Date;
  pullIntervalMs?: number;
  uploadIntervalMs?: number;
  logger?: { warn(msg: string): void };
  /** Outbox retry delays; tests shorten them. Defaults to OUTBOX_BACKOFF (1 s doubling, capped at 60 s). */
  retryBackoff?: BackoffPolicy;
}

export interface DeskBackend {
  invoke(channel: string, input: unknown): Promise<DeskResult<unknown>>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
  close(): Promise<void>;
}

type Handlers = {
  [C in DeskOperation]: (input: z.output<DeskContract[C]['input']>) => Promise<DeskOutput<C>>;
};

interface ActiveSession {
  session: Session;
  runtime: SessionRuntime;
}

const REPORT_ROLES: readonly Role[] = ['supervisor', 'admin'];

/** Cached answers belong to the user who asked (a supervisor sees only their team's report). */
const reportKey = (report: string, agentId: string, query: ReportQuery) => JSON.stringify([report, agentId, query.from, query.to, query.team ?? null]);

const noOpenInteraction = () => new DeskError('not_found', 'no such open interaction: its outcome was saved or it was discarded');

/** Opens the cache at once; throws CacheUnavailableError when the file cannot be used (it is left untouched). */
export function createDeskBackend(options: DeskBackendOptions): DeskBackend {
  const now = options.now ?? (() => new Date());
  const warn = (message: string) => (options.logger ?? console).warn(message);
  const db = openCache(options.cachePath, { nativeBinding: options.sqliteBinding });
  const syncState = createSyncStateStore(db);
  const outbox = createOutbox(db, { backoff: options.retryBackoff });
  const auditOutbox = createAuditOutbox(db, { backoff: options.retryBackoff });
  const discardOutbox = createDiscardOutbox(db, { backoff: options.retryBackoff });
  const eventOutbox = createEventOutbox(db, { backoff: options.retryBackoff });
  const eventOverlay = createCustomerEventOverlay(db);
  const scoringBundles = createScoringBundleCache(db);
  const cardQuery = createCardQuery(db, { overlay: eventOverlay, bundles: scoringBundles });
  const customerExists = db.prepare<[string], number>('SELECT 1 FROM customers WHERE id = ?').pluck();
  const customerSearch = createCustomerSearch(db);
  const retentionReports = createAnswerCache(db, 'report_cache', RetentionReport);
  const outcomeReports = createAnswerCache(db, 'report_cache', OutcomeReport);
  const outboundQueues = createAnswerCache(db, 'outbound_cache', OutboundQueue);
  const interactions = createOpenInteractions(db, (discard) => discardOutbox.record(discard));
  const recordOutcome = db.transaction((draft: OutcomeDraft, agentId: string, interactionId: string | null, at: Date) => {
    const recorded = outbox.record(draft, agentId, at);
    if (interactionId !== null) interactions.close(agentId, interactionId);
    return recorded;
  });
  const cache: SyncCache = {
    applyPage: createChangeApplier(db),
    outbox,
    auditOutbox,
    discardOutbox,
    eventOutbox,
    scoringBundles,
    syncState,
    readStatus: createSyncStatusReader(db, syncState, outbox, eventOutbox),
    bootstrap: createSnapshotBootstrap(db),
  };
  const api = createCentralApiClient({ baseUrl: options.apiUrl, fetch: options.fetch });
  const listeners = new Set<(event: DeskEvent) => void>();
  let active: ActiveSession | null = null;
  let closed = false;
  // Login and logout replace the session; running them one after another keeps two logins
  // from both starting a sync engine.
  let sessionChanges: Promise<unknown> = Promise.resolve();

  function emit(event: DeskEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        warn(`a desk event listener threw on a ${event.type} event`);
      }
    }
  }

  function changeSession<T>(change: () => Promise<T>): Promise<T> {
    const next = sessionChanges.then(change, change);
    sessionChanges = next.catch(() => undefined);
    return next;
  }

  /** `logOut`: the agent ended the session (revoked on the server); otherwise the desk is only closing. */
  async function endSession(logOut: boolean): Promise<boolean> {
    const ending = active;
    active = null;
    if (ending === null) return false;
    await (logOut ? ending.runtime.logOut() : ending.runtime.stop());
    return true;
  }

  function requireSession(): ActiveSession {
    if (active === null) throw new DeskError('unauthenticated', 'log in first');
    return active;
  }

  /**
   * Keeps the agent's open interactions in step with the CTI: a ringing call is stored at once
   * (with the card built for it), so a reload or a second call cannot lose it.
   */
  function followCall(agentId: string, event: Extract<DeskEvent, { type: 'call' }>): void {
    try {
      const call = event.event;
      if (call.event === 'offered') {
        interactions.open({
          interactionId: call.callId,
          agentId,
          request: { by: 'phone', phone: call.ani.trim(), callId: call.callId, source: 'call' },
          card: event.card ?? null,
          state: 'ringing',
          at: new Date(event.at),
        });
      } else {
        interactions.followCall(agentId, call, event.at);
      }
    } catch (error) {
      // The event still reaches the renderer, which opens the interaction itself.
      warn(`open interaction not updated for a ${event.event.event} event: ${toDeskFailure(error).code}`);
    }
  }

  function requireReportRole(): ActiveSession {
    const current = requireSession();
    if (!REPORT_ROLES.includes(current.session.role)) throw new DeskError('forbidden', 'reports are for supervisors and admins');
    return current;
  }

  /**
   * Opens a card for the logged-in user and, unless it is a refresh of a card already on screen,
   * queues the audit row of who looked at whom, when and why, in the same call.
   */
  function openCard(purpose: CardPurpose, givenCallId: string | null, build: (view: CardContext, at: Date) => CustomerCard | null): CustomerCard {
    const { session } = requireSession();
    const at = now();
    // The contract lets an empty callId through; it means "no call".
    const callId = givenCallId === '' ? null : givenCallId;
    const card = build({ channel: contactChannel(purpose, session.role), callId }, at);
    if (card === null) throw new DeskError('not_found', 'no such customer in the local cache');
    if (purpose !== 'refresh') {
      auditOutbox.record({
        viewId: uuidv7({ msecs: at.getTime() }),
        agentId: session.agentId,
        customerId: card.customer?.id ?? null,
        phoneMasked: card.phoneMasked === '' ? null : card.phoneMasked,
        purpose,
        callId,
        viewedAt: at.toISOString(),
      });
      // Not kicked: the upload timer sends audit rows within a second, in batches, and an upload
      // started here would compete with painting this very card (measured: +7 ms per screen pop).
    }
    return card;
  }

  const handlers: Handlers = {
    'session/login': (input) =>
      changeSession(async () => {
        const login = await api.login(input);
        if (closed) throw new DeskError('cache_unavailable', 'the desk backend is closed');
        await endSession(true);
        const session: Session = {
          agentId: login.user.id,
          role: login.user.role,
          displayName: login.user.displayName,
          team: login.user.team,
          expiresAt: login.expiresAt,
          contactHours: login.contactHours ?? DEFAULT_CONTACT_HOURS,
        };
        const runtime = startSessionRuntime({
          api,
          apiUrl: options.apiUrl,
          login,
          cache,
          now,
          pullIntervalMs: options.pullIntervalMs,
          uploadIntervalMs: options.uploadIntervalMs,
          emit: (event) => {
            if (event.type === 'call') followCall(session.agentId, event);
            emit(event);
          },
          // Built as the push arrives, in this process: the screen pops without a round trip.
          cardForRingingCall: (event) => {
            const phone = event.ani.trim();
            if (phone === '') return null; // withheld: the renderer shows the empty card itself
            try {
              return openCard('call', event.callId, (view, at) => cardQuery.cardByPhone(phone, at, view));
            } catch (error) {
              warn(`card for a ringing call not built: ${toDeskFailure(error).code}`);
              return null;
            }
          },
          onPageApplied: (page) => {
            cardQuery.invalidate(page.touched);
          },
          warn,
        });
        active = { session, runtime };
        emit({ type: 'session', session });
        return session;
      }),
    'session/logout': () =>
      changeSession(async () => {
        if (await endSession(true)) emit({ type: 'session', session: null });
        return { ok: true as const };
      }),
    'session/current': async () => active?.session ?? null,
    'card/byPhone': async ({ phone, callId, purpose }) => openCard(purpose, callId, (view, at) => cardQuery.cardByPhone(phone, at, view)),
    'card/byCustomer': async ({ customerId, callId, purpose }) => openCard(purpose, callId, (view, at) => cardQuery.cardByCustomer(customerId, at, view)),
    'customer/search': async ({ query }) => {
      requireSession();
      return customerSearch.search(query);
    },
    'outbound/queue': async () => {
      const { session, runtime } = requireSession();
      const { value, cachedAt } = await fetchOrCached(outboundQueues, session.agentId, now, async () => {
        const response = await runtime.authorized((token) => api.outboundQueue(token));
        const at = now();
        const items = rankOutboundQueue(response, (customerId) => cardQuery.cardByCustomer(customerId, at, { channel: 'outbound', callId: null }), at);
        return { items, generatedAt: response.generatedAt, contactHours: response.contactHours ?? DEFAULT_CONTACT_HOURS, cachedAt: null };
      });
      return { ...value, cachedAt };
    },
    'reports/retention': async (query) => {
      const { session, runtime } = requireReportRole();
      const { value, cachedAt } = await fetchOrCached(retentionReports, reportKey('retention', session.agentId, query), now, () =>
        runtime.authorized((token) => api.retentionReport(token, query)),
      );
      return { report: value, cachedAt };
    },
    'reports/outcomes': async (query) => {
      const { session, runtime } = requireReportRole();
      const { value, cachedAt } = await fetchOrCached(outcomeReports, reportKey('outcomes', session.agentId, query), now, () =>
        runtime.authorized((token) => api.outcomeReport(token, query)),
      );
      return { report: value, cachedAt };
    },
    'customer/logEvent': async (draft) => {
      const { session, runtime } = requireSession();
      if (customerExists.get(draft.customerId) === undefined) throw new DeskError('not_found', 'no such customer in the local cache');
      const at = now();
      eventOutbox.record(draft, session.agentId, at);
      eventOverlay.track(draft.customerId);
      runtime.engine.publishStatus();
      runtime.engine.kickUpload();
      // The card on screen is refreshed, not opened again: no second audit row.
      const card = cardQuery.cardByCustomer(draft.customerId, at, { channel: contactChannel('refresh', session.role), callId: draft.callId });
      if (card === null) throw new DeskError('not_found', 'no such customer in the local cache');
      return card;
    },
    'outcome/record': async ({ interactionId, ...draft }) => {
      const { session, runtime } = requireSession();
      // The form says so before saving; this holds for every caller of the operation.
      if (draft.callbackAt !== null && !withinContactHours(new Date(draft.callbackAt), session.contactHours))
        throw new DeskError('bad_request', `the callback time is outside contact hours (${session.contactHours.from}–${session.contactHours.to} China time)`);
      const recorded = recordOutcome(draft, session.agentId, interactionId, now());
      runtime.engine.publishStatus();
      runtime.engine.kickUpload();
      return { outcomeId: recorded.outcomeId, outboxPending: recorded.outboxPending };
    },
    'interaction/list': async () => ({ interactions: interactions.list(requireSession().session.agentId) }),
    'interaction/open': async ({ interactionId, request, card }) => {
      const { session } = requireSession();
      const state = request.source === 'call' ? 'ringing' : 'talking';
      const opened = interactions.open({ interactionId, agentId: session.agentId, request, card, state, at: now() });
      if (opened === null) throw new DeskError('forbidden', 'this interaction is open on another agent’s desk');
      return opened;
    },
    'interaction/saveDraft': async ({ interactionId, draft }) => {
      const { session } = requireSession();
      const at = now();
      if (!interactions.saveDraft(session.agentId, interactionId, draft, at)) throw noOpenInteraction();
      return { savedAt: at.toISOString() };
    },
    'interaction/endCall': async ({ interactionId }) => {
      const { session } = requireSession();
      return interactions.endCall(session.agentId, interactionId, now()) ?? Promise.reject(noOpenInteraction());
    },
    'interaction/discard': async ({ interactionId, reason }) => {
      const { session } = requireSession();
      return interactions.discard(session.agentId, interactionId, reason, now()) ?? Promise.reject(noOpenInteraction());
    },
    'sync/status': async () => active?.runtime.engine.status() ?? cache.readStatus(false),
    'sync/now': async () => requireSession().runtime.engine.syncNow(),
  };

  async function dispatch(operation: DeskOperation, input: unknown): Promise<DeskResult<unknown>> {
    const parsed = deskContract[operation].input.safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'bad_request', message: describeIssues(parsed.error) } };
    // The schema just checked `parsed.data` against this operation; TypeScript cannot correlate the
    // operation key with its handler's parameter, hence the one widening cast.
    const handler = handlers[operation] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  }

  return {
    async invoke(operation, input) {
      if (!isDeskOperation(operation)) return { ok: false, error: { code: 'bad_request', message: 'unknown desk operation' } };
      if (closed) return { ok: false, error: { code: 'cache_unavailable', message: 'the desk backend is closed' } };
      try {
        return await timed(operation, warn, () => dispatch(operation, input));
      } catch (error) {
        const failure = toDeskFailure(error);
        if (failure.code === 'internal') warn(`desk handler ${operation} failed: ${error instanceof Error ? error.name : typeof error}`);
        return { ok: false, error: failure };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await changeSession(() => endSession(false));
      listeners.clear();
      db.close();
    },
  };
}
