// Typed client for the central API. Every response is parsed with the contract schema here, at
// the edge, so the rest of the desk only ever sees valid data. Failures are classified so the
// sync engine can tell "keep the rows and retry later" from "log in again".
import type { z } from 'zod';
import {
  ApiError,
  OutcomeBatchResponse,
  SyncChangesResponse,
  SyncSnapshotResponse,
  type LoginRequest,
  type OutcomeBatchRequest,
} from '../../shared/contract/central-api';
import type { SyncEntity } from '../../shared/contract/entities';
import { LoginWithRefreshResponse, RefreshResponse, type RefreshRequest } from '../../shared/contract/auth-refresh';
import type { LogoutRequest } from '../../shared/contract/users';
import type { InteractionDiscardBatch } from '../../shared/contract/interaction-audit';
import {
  CardViewAuditAccepted,
  OutboundQueueResponse,
  OutcomeReport,
  RetentionReport,
  type CardViewAuditBatch,
  type ReportQuery,
} from '../../shared/contract/reports';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { CustomerEventBatchResponse, type CustomerEventBatchRequest } from '../../shared/contract/customer-events';
import { parseJsonOrUndefined } from './parse-json';

/** A server from before refresh tokens answers without them; its token then simply lasts the session. */
export const DeskLoginResponse = LoginWithRefreshResponse.partial({ accessExpiresAt: true, refreshToken: true });
export type DeskLoginResponse = z.infer<typeof DeskLoginResponse>;

export type CentralApiErrorKind = 'offline' | 'unauthenticated' | 'http' | 'bad_response';

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
  /** Trades a refresh token (single use) for a new access token and its successor. */
  refresh(request: RefreshRequest, signal?: AbortSignal): Promise<RefreshResponse>;
  /** Ends the session the refresh token belongs to (POST /auth/logout). */
  logout(request: LogoutRequest, signal?: AbortSignal): Promise<void>;
  changes(token: string, after: number, limit: number, signal?: AbortSignal): Promise<SyncChangesResponse>;
  /** One bootstrap page of one table (GET /sync/snapshot); a server without the route answers 404. */
  snapshot(token: string, entity: SyncEntity, afterKey: string, limit: number, signal?: AbortSignal): Promise<SyncSnapshotResponse>;
  outcomesBatch(token: string, request: OutcomeBatchRequest, signal?: AbortSignal): Promise<OutcomeBatchResponse>;
  auditCardViews(token: string, batch: CardViewAuditBatch, signal?: AbortSignal): Promise<z.infer<typeof CardViewAuditAccepted>>;
  interactionDiscards(token: string, batch: InteractionDiscardBatch, signal?: AbortSignal): Promise<z.infer<typeof CardViewAuditAccepted>>;
  customerEventsBatch(token: string, request: CustomerEventBatchRequest, signal?: AbortSignal): Promise<CustomerEventBatchResponse>;
  /** A body that fails the ScoringBundle schema throws CentralApiError 'bad_response' (the caller keeps its bundle). */
  scoringBundle(token: string, heldVersion: number | null, signal?: AbortSignal): Promise<ScoringBundleAnswer>;
  outboundQueue(token: string, signal?: AbortSignal): Promise<OutboundQueueResponse>;
  retentionReport(token: string, query: ReportQuery, signal?: AbortSignal): Promise<RetentionReport>;
  outcomeReport(token: string, query: ReportQuery, signal?: AbortSignal): Promise<OutcomeReport>;
}

export interface CentralApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export const DEFAULT_API_TIMEOUT_MS = 10_000;
/**
 * A supervisor's report (up to 100,000 outcome rows) takes the API seconds to build and send, so
 * it gets longer than the sync's short timeout; still under the 30 s the Electron main process
 * waits for any answer from the data process (electron/common/request-correlator.ts).
 */
export const REPORT_TIMEOUT_MS = 25_000;

interface ExchangeInit {
  method: 'GET' | 'POST';
  token?: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
}

export function createCentralApiClient(options: CentralApiClientOptions): CentralApiClient {
  const fetchImpl = options.fetch ?? fetch;
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request<S extends z.ZodType>(schema: S, path: string, init: ExchangeInit): Promise<z.infer<S>> {
    const answer = await exchange(path, init);
    const parsed = schema.safeParse(answer.json);
    if (!parsed.success) {
      throw new CentralApiError('bad_response', `central API ${path.split('?')[0]} returned an unexpected body`, answer.status, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  /** Sends the request and classifies failures; answers the body of a 2xx or 3xx as JSON (undefined when empty). */
  async function exchange(path: string, init: ExchangeInit): Promise<{ status: number; json: unknown }> {
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
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
      if (response.status === 401) throw new CentralApiError('unauthenticated', detail, 401);
      throw new CentralApiError('http', `central API ${path.split('?')[0]} failed (${response.status}): ${detail}`, response.status);
    }
    return { status: response.status, json };
  }

  async function scoringBundle(token: string, heldVersion: number | null, signal?: AbortSignal): Promise<ScoringBundleAnswer> {
    const headers: Record<string, string> = heldVersion === null ? {} : { 'if-none-match': `"${heldVersion}"` };
    try {
      const answer = await exchange('/scoring/bundle', { method: 'GET', token, signal, headers });
      if (answer.status === 304) return { status: 'not_modified' };
      const parsed = ScoringBundle.safeParse(answer.json);
      if (!parsed.success) {
        throw new CentralApiError(
          'bad_response',
          `central API /scoring/bundle returned an invalid bundle: ${parsed.error.message.slice(0, 300)}`,
          answer.status,
          {
            cause: parsed.error,
          },
        );
      }
      return { status: 'new', bundle: parsed.data };
    } catch (error) {
      if (error instanceof CentralApiError && error.status === 404) return { status: 'none' };
      throw error;
    }
  }

  return {
    login: (body, signal) => request(DeskLoginResponse, '/auth/login', { method: 'POST', body, signal }),
    refresh: (body, signal) => request(RefreshResponse, '/auth/refresh', { method: 'POST', body, signal }),
    logout: async (body, signal) => {
      await exchange('/auth/logout', { method: 'POST', body, signal });
    },
    changes: (token, after, limit, signal) => request(SyncChangesResponse, `/sync/changes?after=${after}&limit=${limit}`, { method: 'GET', token, signal }),
    snapshot: (token, entity, afterKey, limit, signal) =>
      request(SyncSnapshotResponse, `/sync/snapshot?${new URLSearchParams({ entity, afterKey, limit: String(limit) })}`, { method: 'GET', token, signal }),
    outcomesBatch: (token, body, signal) => request(OutcomeBatchResponse, '/outcomes/batch', { method: 'POST', token, body, signal }),
    auditCardViews: (token, body, signal) => request(CardViewAuditAccepted, '/audit/card-views', { method: 'POST', token, body, signal }),
    interactionDiscards: (token, body, signal) => request(CardViewAuditAccepted, '/audit/interaction-discards', { method: 'POST', token, body, signal }),
    customerEventsBatch: (token, body, signal) => request(CustomerEventBatchResponse, '/customer-events/batch', { method: 'POST', token, body, signal }),
    scoringBundle,
    outboundQueue: (token, signal) => request(OutboundQueueResponse, '/outbound/queue', { method: 'GET', token, signal }),
    retentionReport: (token, query, signal) =>
      request(RetentionReport, `/reports/retention?${reportQueryString(query)}`, { method: 'GET', token, signal, timeoutMs: REPORT_TIMEOUT_MS }),
    outcomeReport: (token, query, signal) =>
      request(OutcomeReport, `/reports/outcomes?${reportQueryString(query)}`, { method: 'GET', token, signal, timeoutMs: REPORT_TIMEOUT_MS }),
  };
}

function reportQueryString(query: ReportQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.team !== undefined) params.set('team', query.team);
  return params.toString();
}
