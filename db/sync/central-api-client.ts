// Typed client for the central API. Every response is parsed with the contract schema here, at
// the edge, so the rest of the desk only ever sees valid data. Failures are classified so the
// sync engine can tell "keep the rows and retry later" from "log in again".
import type { z } from 'zod';
import {
  ApiError,
  OutcomeBatchResponse,
  SyncChangesResponse,
  type LoginRequest,
  type OutcomeBatchRequest,
} from '../../shared/contract/central-api';
import { LoginWithRefreshResponse, RefreshResponse, type RefreshRequest } from '../../shared/contract/auth-refresh';
import {
  CardViewAuditAccepted,
  OutboundQueueResponse,
  OutcomeReport,
  RetentionReport,
  type CardViewAuditBatch,
  type ReportQuery,
} from '../../shared/contract/reports';
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

/** `signal` lets the caller abandon a request early (a session ending); it then fails as `offline`. */
export interface CentralApiClient {
  login(request: LoginRequest, signal?: AbortSignal): Promise<DeskLoginResponse>;
  /** Trades a refresh token (single use) for a new access token and its successor. */
  refresh(request: RefreshRequest, signal?: AbortSignal): Promise<RefreshResponse>;
  changes(token: string, after: number, limit: number, signal?: AbortSignal): Promise<SyncChangesResponse>;
  outcomesBatch(token: string, request: OutcomeBatchRequest, signal?: AbortSignal): Promise<OutcomeBatchResponse>;
  auditCardViews(token: string, batch: CardViewAuditBatch, signal?: AbortSignal): Promise<z.infer<typeof CardViewAuditAccepted>>;
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

export function createCentralApiClient(options: CentralApiClientOptions): CentralApiClient {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request<S extends z.ZodType>(
    schema: S,
    path: string,
    init: { method: 'GET' | 'POST'; token?: string; body?: unknown; signal?: AbortSignal | undefined },
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
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
    if (!response.ok) {
      const apiError = ApiError.safeParse(json);
      const detail = apiError.success ? apiError.data.message : `HTTP ${response.status}`;
      if (response.status === 401) throw new CentralApiError('unauthenticated', detail, 401);
      throw new CentralApiError('http', `central API ${path.split('?')[0]} failed (${response.status}): ${detail}`, response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new CentralApiError('bad_response', `central API ${path.split('?')[0]} returned an unexpected body`, response.status, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  return {
    login: (body, signal) => request(DeskLoginResponse, '/auth/login', { method: 'POST', body, signal }),
    refresh: (body, signal) => request(RefreshResponse, '/auth/refresh', { method: 'POST', body, signal }),
    changes: (token, after, limit, signal) =>
      request(SyncChangesResponse, `/sync/changes?after=${after}&limit=${limit}`, { method: 'GET', token, signal }),
    outcomesBatch: (token, body, signal) =>
      request(OutcomeBatchResponse, '/outcomes/batch', { method: 'POST', token, body, signal }),
    auditCardViews: (token, body, signal) => request(CardViewAuditAccepted, '/audit/card-views', { method: 'POST', token, body, signal }),
    outboundQueue: (token, signal) => request(OutboundQueueResponse, '/outbound/queue', { method: 'GET', token, signal }),
    retentionReport: (token, query, signal) =>
      request(RetentionReport, `/reports/retention?${reportQueryString(query)}`, { method: 'GET', token, signal }),
    outcomeReport: (token, query, signal) => request(OutcomeReport, `/reports/outcomes?${reportQueryString(query)}`, { method: 'GET', token, signal }),
  };
}

function reportQueryString(query: ReportQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.team !== undefined) params.set('team', query.team);
  return params.toString();
}
