// The central API's routes, defined once: the server registers each from this table (with its
// OpenAPI prose) and the desk's client derives its requests from it, so a path, a method, a
// schema or the roles allowed cannot drift between the two. Keyed by the OpenAPI operationId.
import { z } from 'zod';
import { ScoringBundle } from '../analytics/scoring-bundle';
import { LoginWithRefreshResponse, RefreshRequest, RefreshResponse } from './auth-refresh';
import {
  LoginRequest,
  OutcomeBatchRequest,
  OutcomeBatchResponse,
  OutcomeListQuery,
  OutcomeListResponse,
  ROLES,
  SyncSnapshotQuery,
  type Role,
} from './central-api';
import { CardByPhoneQuery, CardByPhoneResponse, ScopedSyncChangesQuery, ScopedSyncChangesResponse, ScopedSyncSnapshotResponse } from './cache-scope';
import { CustomerEventBatchRequest, CustomerEventBatchResponse } from './customer-events';
import { DeskHealthReport } from './desk-health';
import { DeskIdHeaders, DeskRevocationStatus } from './desks';
import { OidcTokenRequest, SignInOptions } from './directory-sign-in';
import { InteractionDiscardBatch, InteractionDiscardList, InteractionDiscardQuery } from './interaction-audit';
import { OutcomeReport, OutcomeReportQuery, ReportQuery, RetentionReport } from './supervisor-reports';
import { OutboundQueueResponse } from './outbound-queue';
import { CardViewAuditAccepted, CardViewAuditBatch, CardViewAuditList, CardViewAuditQuery } from './card-view-audit';
import { LogoutRequest } from './users';
import { ModelMonitoringQuery, ModelMonitoringReport } from './model-registry';

export interface CentralApiRoute {
  method: 'GET' | 'POST';
  path: `/${string}`;
  /** Who may call it: 'public' takes no token; otherwise a bearer token of one of these roles. */
  roles: 'public' | readonly Role[];
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer (200), or null for 204 No Content. */
  response: z.ZodType | null;
}

/** Sent back as If-None-Match: the ETag of the scoring bundle held, answered 304 while it is current. */
export const IfNoneMatchHeaders = z.looseObject({
  'if-none-match': z.string().optional().meta({ description: 'The ETag of the bundle held, e.g. "3"; a match is answered 304.', example: '"3"' }),
});

const DESK_ROLES = ['agent', 'store', 'supervisor'] as const satisfies readonly Role[];
const OVERSIGHT_ROLES = ['supervisor', 'admin'] as const satisfies readonly Role[];

export const centralApiRoutes = {
  login: { method: 'POST', path: '/auth/login', roles: 'public', headers: DeskIdHeaders, body: LoginRequest, response: LoginWithRefreshResponse },
  refreshSession: { method: 'POST', path: '/auth/refresh', roles: 'public', body: RefreshRequest, response: RefreshResponse },
  logout: { method: 'POST', path: '/auth/logout', roles: 'public', body: LogoutRequest, response: null },
  /** The OpenID sign-in's last step (its browser legs, GET /auth/oidc/start and /callback, are redirects, not in this table). */
  redeemOidcSignIn: {
    method: 'POST',
    path: '/auth/oidc/token',
    roles: 'public',
    headers: DeskIdHeaders,
    body: OidcTokenRequest,
    response: LoginWithRefreshResponse,
  },
  /** Whether the login screen offers company sign-in (an OpenID provider is configured). */
  getSignInOptions: { method: 'GET', path: '/auth/sign-in-options', roles: 'public', response: SignInOptions },
  getSyncChanges: { method: 'GET', path: '/sync/changes', roles: ROLES, query: ScopedSyncChangesQuery, response: ScopedSyncChangesResponse },
  getSyncSnapshot: { method: 'GET', path: '/sync/snapshot', roles: ROLES, query: SyncSnapshotQuery, response: ScopedSyncSnapshotResponse },
  /** A customer outside the desk's cache scope, on a miss (the path's `:phone` is the number, as CardByPhoneParams checks it). */
  getCardByPhone: { method: 'GET', path: '/cards/by-phone/:phone', roles: DESK_ROLES, query: CardByPhoneQuery, response: CardByPhoneResponse },
  /** A card the desk opens by customer id when its cache does not hold them (the path's `:customerId`, as CardByCustomerParams checks it). */
  getCardByCustomer: { method: 'GET', path: '/cards/by-customer/:customerId', roles: DESK_ROLES, query: CardByPhoneQuery, response: CardByPhoneResponse },
  postOutcomeBatch: { method: 'POST', path: '/outcomes/batch', roles: DESK_ROLES, body: OutcomeBatchRequest, response: OutcomeBatchResponse },
  listOutcomes: { method: 'GET', path: '/outcomes', roles: OVERSIGHT_ROLES, query: OutcomeListQuery, response: OutcomeListResponse },
  postCardViews: { method: 'POST', path: '/audit/card-views', roles: DESK_ROLES, body: CardViewAuditBatch, response: CardViewAuditAccepted },
  listCardViews: { method: 'GET', path: '/audit/card-views', roles: OVERSIGHT_ROLES, query: CardViewAuditQuery, response: CardViewAuditList },
  postInteractionDiscards: {
    method: 'POST',
    path: '/audit/interaction-discards',
    roles: DESK_ROLES,
    body: InteractionDiscardBatch,
    response: CardViewAuditAccepted,
  },
  listInteractionDiscards: {
    method: 'GET',
    path: '/audit/interaction-discards',
    roles: OVERSIGHT_ROLES,
    query: InteractionDiscardQuery,
    response: InteractionDiscardList,
  },
  postCustomerEventBatch: {
    method: 'POST',
    path: '/customer-events/batch',
    roles: DESK_ROLES,
    body: CustomerEventBatchRequest,
    response: CustomerEventBatchResponse,
  },
  /** Also answers 304 (If-None-Match matched) and 404 (the book was never scored). */
  getScoringBundle: { method: 'GET', path: '/scoring/bundle', roles: ROLES, headers: IfNoneMatchHeaders, response: ScoringBundle },
  getOutboundQueue: { method: 'GET', path: '/outbound/queue', roles: ['agent'], query: z.object({}), response: OutboundQueueResponse },
  getRetentionReport: { method: 'GET', path: '/reports/retention', roles: OVERSIGHT_ROLES, query: ReportQuery, response: RetentionReport },
  getOutcomeReport: { method: 'GET', path: '/reports/outcomes', roles: OVERSIGHT_ROLES, query: OutcomeReportQuery, response: OutcomeReport },
  /** The churn models in production: realised performance by month, feature drift, the shadow challenger. */
  getModelReport: { method: 'GET', path: '/reports/models', roles: OVERSIGHT_ROLES, query: ModelMonitoringQuery, response: ModelMonitoringReport },
  /** A desk's health figures for this interval, exposed per team at GET /metrics. */
  postDeskHealth: { method: 'POST', path: '/desks/health', roles: ROLES, body: DeskHealthReport, response: null },
  /** Whether a desk was revoked, asked at its start before anyone signs in (the path's `:deskId` is the desk's id). */
  getDeskRevocation: { method: 'GET', path: '/desks/:deskId/revocation', roles: 'public', response: DeskRevocationStatus },
} as const satisfies Record<string, CentralApiRoute>;

export type CentralApiRoutes = typeof centralApiRoutes;
export type CentralApiOperation = keyof CentralApiRoutes;
