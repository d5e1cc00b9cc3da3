// Typed client for the central API. Every response is parsed with the contract schema here, at
// the edge, so the rest of the desk only ever sees valid data. Failures are classified so the
// sync engine can tell "keep the rows and retry later" from "log in again".
import type { z } from 'zod';
import { ApiError, type LoginRequest, type OutcomeBatchRequest, type OutcomeBatchResponse } from '../../shared/contract/central-api';
import { centralApiRoutes, type CentralApiOperation, type CentralApiRoutes } from '../../shared/contract/central-api-routes';
import type { SyncEntity } from '../../shared/contract/entities';
import type { CardByPhoneQuery, CardByPhoneResponse, ScopedSyncChangesResponse, ScopedSyncSnapshotResponse } from '../../shared/contract/cache-scope';
import { LoginWithRefreshResponse, type RefreshRequest, type RefreshResponse } from '../../shared/contract/auth-refresh';
import type { LogoutRequest } from '../../shared/contract/users';
import type { OidcTokenRequest, SignInOptions } from '../../shared/contract/directory-sign-in';
import type { InteractionDiscardBatch } from '../../shared/contract/interaction-audit';
import {
  OUTCOME_REPORT_MAX_ROWS,
  OUTCOME_REPORT_PAGE_MAX_ROWS,
  type OutcomeReport,
  type ReportQuery,
  type RetentionReport,
} from '../../shared/contract/supervisor-reports';
import type { ModelMonitoringQuery, ModelMonitoringReport } from '../../shared/contract/model-registry';
import type { OutboundQueueResponse } from '../../shared/contract/outbound-queue';
import type { CardViewAuditAccepted, CardViewAuditBatch } from '../../shared/contract/card-view-audit';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { CustomerEventBatchRequest, CustomerEventBatchResponse } from '../../shared/contract/customer-events';
import type { DeskHealthReport } from '../../shared/contract/desk-health';
import { DESK_ID_HEADER, DESK_REVOKED_ERROR, type DeskRevocationStatus } from '../../shared/contract/desks';
import { parseJsonOrUndefined } from './parse-json';

/** A server from before refresh tokens answers without them; its token then simply lasts the session. */
export const DeskLoginResponse = LoginWithRefreshResponse.partial({ accessExpiresAt: true, refreshToken: true });
export type DeskLoginResponse = z.infer<typeof DeskLoginResponse>;

/** `desk_revoked`: an administrator revoked this desk (any route may answer so); the desk wipes its cache (desk-revocation.ts). */
export type CentralApiErrorKind = 'offline' | 'unauthenticated' | 'http' | 'bad_response' | 'desk_revoked';

export class CentralApiError extends Error {
  override readonly name = 'CentralApiError';
  constructor(
    readonly kind: CentralApiErrorKind,
    message: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * GET /scoring/bundle: a new bundle, the one the desk holds (304 to If-None-Match), or none yet
 * (404: the book was never scored, or a central API from before desk re-scoring).
 */
export type ScoringBundleAnswer = { status: 'new'; bundle: ScoringBundle } | { status: 'not_modified' } | { status: 'none' };

/** `signal` lets the caller abandon a request early (a session ending); it then fails as `offline`. */
export interface CentralApiClient {
  login(request: LoginRequest, signal?: AbortSignal): Promise<DeskLoginResponse>;
  /** Company sign-in's last step: trades the hand-off code the browser came back with for the login answer (POST /auth/oidc/token). */
  redeemCompanySignIn(request: OidcTokenRequest, signal?: AbortSignal): Promise<DeskLoginResponse>;
  /** What the login screen may offer (GET /auth/sign-in-options). */
  signInOptions(signal?: AbortSignal): Promise<SignInOptions>;
  /** Trades a refresh token (single use) for a new access token and its successor. */
  refresh(request: RefreshRequest, signal?: AbortSignal): Promise<RefreshResponse>;
  /** Ends the session the refresh token belongs to (POST /auth/logout). */
  logout(request: LogoutRequest, signal?: AbortSignal): Promise<void>;
  /** Whether this desk was revoked (GET /desks/:deskId/revocation), asked before anyone signs in. */
  deskRevocation(deskId: string, signal?: AbortSignal): Promise<DeskRevocationStatus>;
  /** The routes behind a bearer token, each call carrying the session's current access token. */
  forSession(credentials: SessionCredentials): SessionApi;
}

/** Where a session's calls get their access token (desk-backend/session-tokens.ts renews it as needed). */
export interface SessionCredentials {
  authorized<T>(call: (accessToken: string) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface SessionApi {
  /** `scope`: the cache scope the desk holds (an empty page naming another scope means: download that one afresh). */
  changes(after: number, limit: number, signal?: AbortSignal, scope?: string): Promise<ScopedSyncChangesResponse>;
  /** One bootstrap page of one table (GET /sync/snapshot); a server without the route answers 404. */
  snapshot(entity: SyncEntity, afterKey: string, limit: number, signal?: AbortSignal): Promise<ScopedSyncSnapshotResponse>;
  /** A customer outside the desk's cache scope (GET /cards/by-phone/:phone); 404 when no customer has the number. */
  cardByPhone(phone: string, query: CardByPhoneQuery, signal?: AbortSignal): Promise<CardByPhoneResponse>;
  /** A customer the desk opens by id and does not cache (GET /cards/by-customer/:customerId); 404 when the book has no such customer. */
  cardByCustomer(customerId: string, query: CardByPhoneQuery, signal?: AbortSignal): Promise<CardByPhoneResponse>;
  outcomesBatch(request: OutcomeBatchRequest, signal?: AbortSignal): Promise<OutcomeBatchResponse>;
  auditCardViews(batch: CardViewAuditBatch, signal?: AbortSignal): Promise<z.infer<typeof CardViewAuditAccepted>>;
  interactionDiscards(batch: InteractionDiscardBatch, signal?: AbortSignal): Promise<z.infer<typeof CardViewAuditAccepted>>;
  customerEventsBatch(request: CustomerEventBatchRequest, signal?: AbortSignal): Promise<CustomerEventBatchResponse>;
  /** A body that fails the ScoringBundle schema throws CentralApiError 'bad_response' (the caller keeps its bundle). */
  scoringBundle(heldVersion: number | null, signal?: AbortSignal): Promise<ScoringBundleAnswer>;
  outboundQueue(signal?: AbortSignal): Promise<OutboundQueueResponse>;
  retentionReport(query: ReportQuery, signal?: AbortSignal): Promise<RetentionReport>;
  outcomeReport(query: ReportQuery, signal?: AbortSignal): Promise<OutcomeReport>;
  modelReport(query: ModelMonitoringQuery, signal?: AbortSignal): Promise<ModelMonitoringReport>;
  /** POST /desks/health: this interval's figures (desk-health-report.ts). */
  deskHealth(report: DeskHealthReport, signal?: AbortSignal): Promise<void>;
}

export interface CentralApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** This desk's id, sent with every request (X-CLM-Desk) so the sessions it starts are bound to it. */
  deskId?: () => string;
  /** Told whenever the central API answers that this desk was revoked, before the request fails. */
  onDeskRevoked?: () => void;
}

export const DEFAULT_API_TIMEOUT_MS = 10_000;
/**
 * A supervisor's report (up to 100,000 outcome rows) takes the API seconds to build and send, so
 * it gets longer than the sync's short timeout; still under the 30 s the Electron main process
 * waits for any answer from the data process (electron/common/request-correlator.ts).
 */
export const REPORT_TIMEOUT_MS = 25_000;

type Route<K extends CentralApiOperation> = CentralApiRoutes[K];

/** What a route takes: its path's `:name` parameters, its query string and its body, typed by the route table's schemas. */
type RouteInput<K extends CentralApiOperation> = (Route<K> extends { query: infer Q extends z.ZodType } ? { query: z.input<Q> } : { query?: never }) &
  (Route<K> extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : { body?: never }) & { params?: Record<string, string> };

/** What a route answers: its response schema's output, or nothing for a 204. */
type RouteAnswer<K extends CentralApiOperation> = Route<K>['response'] extends infer S extends z.ZodType ? z.output<S> : void;

interface CallInit {
  token?: string;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
}

interface ExchangeInit extends CallInit {
  method: 'GET' | 'POST';
  body?: unknown;
}

/** The request target of a route: its path and, when given, its query string (absent values left out). */
function targetOf(path: string, query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

export function createCentralApiClient(options: CentralApiClientOptions): CentralApiClient {
  const fetchImpl = options.fetch ?? fetch;
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const base = options.baseUrl.replace(/\/+$/, '');

  /** Calls the route `operationId` of the route table and parses its answer with the route's response schema (or `answerSchema`). */
  async function call<K extends CentralApiOperation>(operationId: K, input: RouteInput<K>, init: CallInit, answerSchema?: z.ZodType): Promise<RouteAnswer<K>> {
    const route: Route<K> = centralApiRoutes[operationId];
    // Every route's query schema is an object (see CentralApiRoute); TypeScript cannot see that through the generic.
    const { query, body, params } = input as { query?: Record<string, unknown>; body?: unknown; params?: Record<string, string> };
    const path = Object.entries(params ?? {}).reduce((filled, [name, value]) => filled.replace(`:${name}`, encodeURIComponent(value)), route.path as string);
    const answer = await exchange(targetOf(path, query), { ...init, method: route.method, body });
    const schema = answerSchema ?? route.response;
    if (schema === null) return undefined as RouteAnswer<K>;
    const parsed = schema.safeParse(answer.json);
    if (!parsed.success) {
      throw new CentralApiError('bad_response', `central API ${route.path} returned an unexpected body`, answer.status, { cause: parsed.error });
    }
    return parsed.data as RouteAnswer<K>;
  }

  /** Sends the request and classifies failures; answers the body of a 2xx or 3xx as JSON (undefined when empty). */
  async function exchange(path: string, init: ExchangeInit): Promise<{ status: number; json: unknown }> {
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (options.deskId !== undefined) headers[DESK_ID_HEADER] = options.deskId();
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method: init.method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
      // Reading the body can fail too (connection dropped mid-response): still "offline".
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new CentralApiError('offline', timedOut ? `central API timed out after ${timeoutMs} ms` : 'central API unreachable', null, {
        cause: error,
      });
    }

    const json = parseJsonOrUndefined(text);
    if (response.status >= 400) {
      const apiError = ApiError.safeParse(json);
      const detail = apiError.success ? apiError.data.message : `HTTP ${response.status}`;
      if (apiError.success && apiError.data.error === DESK_REVOKED_ERROR) {
        options.onDeskRevoked?.();
        throw new CentralApiError('desk_revoked', detail, response.status);
      }
      if (response.status === 401) throw new CentralApiError('unauthenticated', detail, 401);
      throw new CentralApiError('http', `central API ${path.split('?')[0]} failed (${response.status}): ${detail}`, response.status);
    }
    return { status: response.status, json };
  }

  function forSession(credentials: SessionCredentials): SessionApi {
    /** Calls a route with the session's current access token. */
    const authorized = <K extends CentralApiOperation>(operationId: K, input: RouteInput<K>, init: Omit<CallInit, 'token'> = {}) =>
      credentials.authorized((token) => call(operationId, input, { ...init, token }), init.signal);

    /** The period's outcomes page by page, newest first, up to the rows a desk shows: the renderer gets the report whole. */
    async function outcomeReport(query: ReportQuery, signal?: AbortSignal): Promise<OutcomeReport> {
      const pages: OutcomeReport[] = [];
      let rows = 0;
      let after: string | undefined;
      for (;;) {
        const limit = Math.min(OUTCOME_REPORT_PAGE_MAX_ROWS, OUTCOME_REPORT_MAX_ROWS - rows);
        const page = await authorized(
          'getOutcomeReport',
          { query: { ...query, limit, ...(after === undefined ? {} : { after }) } },
          { signal, timeoutMs: REPORT_TIMEOUT_MS },
        );
        pages.push(page);
        rows += page.rows.length;
        const next = page.nextCursor ?? null;
        if (next === null || rows >= OUTCOME_REPORT_MAX_ROWS)
          return { ...page, rows: pages.flatMap((p) => p.rows), truncated: next !== null, nextCursor: null };
        after = next;
      }
    }

    async function scoringBundle(heldVersion: number | null, signal?: AbortSignal): Promise<ScoringBundleAnswer> {
      const headers: Record<string, string> = heldVersion === null ? {} : { 'if-none-match': `"${heldVersion}"` };
      const { path, method } = centralApiRoutes.getScoringBundle;
      try {
        const answer = await credentials.authorized((token) => exchange(path, { method, token, signal, headers }), signal);
        if (answer.status === 304) return { status: 'not_modified' };
        const parsed = ScoringBundle.safeParse(answer.json);
        if (!parsed.success) {
          throw new CentralApiError('bad_response', `central API ${path} returned an invalid bundle: ${parsed.error.message.slice(0, 300)}`, answer.status, {
            cause: parsed.error,
          });
        }
        return { status: 'new', bundle: parsed.data };
      } catch (error) {
        if (error instanceof CentralApiError && error.status === 404) return { status: 'none' };
        throw error;
      }
    }

    return {
      changes: (after, limit, signal, scope) => authorized('getSyncChanges', { query: { after, limit, scope } }, { signal }),
      snapshot: (entity, afterKey, limit, signal) => authorized('getSyncSnapshot', { query: { entity, afterKey, limit } }, { signal }),
      cardByPhone: (phone, query, signal) => authorized('getCardByPhone', { query, params: { phone } }, { signal }),
      cardByCustomer: (customerId, query, signal) => authorized('getCardByCustomer', { query, params: { customerId } }, { signal }),
      outcomesBatch: (body, signal) => authorized('postOutcomeBatch', { body }, { signal }),
      auditCardViews: (body, signal) => authorized('postCardViews', { body }, { signal }),
      interactionDiscards: (body, signal) => authorized('postInteractionDiscards', { body }, { signal }),
      customerEventsBatch: (body, signal) => authorized('postCustomerEventBatch', { body }, { signal }),
      scoringBundle,
      outboundQueue: (signal) => authorized('getOutboundQueue', { query: {} }, { signal }),
      retentionReport: (query, signal) => authorized('getRetentionReport', { query }, { signal, timeoutMs: REPORT_TIMEOUT_MS }),
      outcomeReport,
      modelReport: (query, signal) => authorized('getModelReport', { query }, { signal, timeoutMs: REPORT_TIMEOUT_MS }),
      deskHealth: (body, signal) => authorized('postDeskHealth', { body }, { signal }),
    };
  }

  return {
    login: (body, signal) => call('login', { body }, { signal }, DeskLoginResponse),
    redeemCompanySignIn: (body, signal) => call('redeemOidcSignIn', { body }, { signal }, DeskLoginResponse),
    signInOptions: (signal) => call('getSignInOptions', {}, { signal }),
    refresh: (body, signal) => call('refreshSession', { body }, { signal }),
    logout: (body, signal) => call('logout', { body }, { signal }),
    deskRevocation: (deskId, signal) => call('getDeskRevocation', { params: { deskId } }, { signal }),
    forSession,
  };
}
