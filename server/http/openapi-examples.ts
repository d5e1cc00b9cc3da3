// Example bodies the OpenAPI document shows for each operation. Typed with the contract's own
// types, so an example that drifts from the schema stops compiling; the document lint then checks
// them against the JSON Schema integrators see.
import type { z } from 'zod';
import type { LoginWithRefreshResponse, RefreshRequest, RefreshResponse } from '../../shared/contract/auth-refresh';
import type {
  CtiCallAccepted,
  CtiCallEvent,
  LoginRequest,
  OutcomeBatchRequest,
  OutcomeBatchResponse,
  OutcomeListResponse,
  SyncChangesResponse,
  SyncSnapshotResponse,
  User,
} from '../../shared/contract/central-api';
import type { CustomerEventBatchRequest, CustomerEventBatchResponse } from '../../shared/contract/customer-events';
import type { Outcome } from '../../shared/contract/outcomes';
import type { OutcomeReport, ProgrammeEffect, RetentionReport } from '../../shared/contract/supervisor-reports';
import { PROGRAMME_MIN_GROUP, programmeValue, programmeWindow } from '../../shared/analytics/programme-effect';
import type { OutboundQueueResponse } from '../../shared/contract/outbound-queue';
import type { CardViewAuditAccepted, CardViewAuditBatch, CardViewAuditList } from '../../shared/contract/card-view-audit';
import type { FulfilmentOrderList } from '../../shared/contract/fulfilment';

const agent: User = { id: 'agent01', role: 'agent', displayName: '王芳 (agent01)', team: 'T1' };
const EXAMPLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudDAxIiwicm9sZSI6ImFnZW50In0.c2lnbmF0dXJl';
const EXAMPLE_REFRESH_TOKEN = 'q8Jw3V1nYbUo0tQ2r5sLxZ7kD9fHcA6eM4gP1iN8uRyT';

export const loginRequest: LoginRequest = { username: 'agent01', password: 'demo1234' };

export const loginResponse: LoginWithRefreshResponse = {
  token: EXAMPLE_TOKEN,
  expiresAt: '2026-12-07T17:00:00.000Z',
  accessExpiresAt: '2026-12-07T09:15:00.000Z',
  refreshToken: EXAMPLE_REFRESH_TOKEN,
  user: agent,
};

export const refreshRequest: RefreshRequest = { refreshToken: EXAMPLE_REFRESH_TOKEN };

export const refreshResponse: RefreshResponse = {
  token: EXAMPLE_TOKEN,
  expiresAt: '2026-12-07T17:00:00.000Z',
  accessExpiresAt: '2026-12-07T09:30:00.000Z',
  refreshToken: 'Zr4mT0pW2xK8cV6bN1qS5dF3gH7jL9aE2uY4iO6pR8tB',
  user: agent,
};

export const syncChangesResponse: SyncChangesResponse = {
  changes: [
    {
      seq: 41_207,
      id: 'OFF-D-RETENTION-DISCOUNT',
      version: 12,
      op: 'upsert',
      entity: 'offer_stats',
      data: {
        offerId: 'OFF-D-RETENTION-DISCOUNT',
        version: 12,
        segments: { 'D:gold': { presented: 48, accepted: 17 } },
        updatedAt: '2026-12-07T08:59:41.000Z',
      },
    },
    { seq: 41_208, id: 'CUS0000042', version: 7, op: 'delete', entity: 'contact_history' },
  ],
  nextCursor: 41_208,
  hasMore: false,
};

export const syncSnapshotResponse: SyncSnapshotResponse = {
  entity: 'offer_stats',
  safeCursor: 41_208,
  rows: [['OFF-D-RETENTION-DISCOUNT', 12, '{"offerId":"OFF-D-RETENTION-DISCOUNT","version":12,"segments":{},"updatedAt":"2026-12-07T08:59:41.000Z"}']],
  nextKey: 'OFF-D-RETENTION-DISCOUNT',
  hasMore: false,
};

const acceptedOutcome: Outcome = {
  outcomeId: '019af3b2-5c1e-7a4b-9f3e-2d8c6b1a0e47',
  deviceId: 'desk-7f3a',
  clientSeq: 18,
  agentId: 'agent01',
  recordedAt: '2026-12-07T09:02:11.000+08:00',
  draft: {
    callId: 'call-20261207-0193',
    customerId: 'CUS0000042',
    phone: null,
    offerId: 'OFF-D-RETENTION-DISCOUNT',
    result: 'accepted',
    note: '',
    channel: 'hotline',
    callbackAt: null,
    declineReason: null,
    notPresentedReason: null,
    context: null,
  },
};

export const outcomeBatchRequest: OutcomeBatchRequest = { deviceId: 'desk-7f3a', items: [acceptedOutcome] };

export const outcomeBatchResponse: OutcomeBatchResponse = {
  results: [{ outcomeId: acceptedOutcome.outcomeId, status: 'accepted' }],
  lastAppliedClientSeq: 18,
};

export const outcomeListResponse: OutcomeListResponse = {
  outcomes: [{ ...acceptedOutcome, serverSeq: 901, receivedAt: '2026-12-07T01:02:12.000Z' }],
  nextCursor: 901,
};

export const outboundQueueResponse: OutboundQueueResponse = {
  generatedAt: '2026-12-07T01:00:00.000Z',
  candidates: [
    {
      customerId: 'CUS0000042',
      slot: 'callback',
      callbackAt: '2026-12-07T06:30:00.000Z',
      valueAtRisk: 812.5,
      lastContactAt: '2026-12-05T02:14:00.000Z',
      listing: { name: '张伟', phoneMasked: '138****0042', stage: 'C', warningLevel: 'orange', churnProbability: 0.65, valueTier: 'gold' },
    },
    {
      customerId: 'CUS0000107',
      slot: 'at_risk',
      callbackAt: null,
      valueAtRisk: 640,
      lastContactAt: null,
      listing: { name: '李娜', phoneMasked: '139****0107', stage: 'D', warningLevel: 'red', churnProbability: 0.8, valueTier: 'silver' },
    },
  ],
};

export const fulfilmentOrderList: z.input<typeof FulfilmentOrderList> = {
  orders: [
    {
      orderId: 311,
      outcomeId: acceptedOutcome.outcomeId,
      customerId: 'CUS0000042',
      offerId: 'OFF-D-RETENTION-DISCOUNT',
      action: 'bill_credit',
      planCode: null,
      agentId: 'agent01',
      status: 'pending',
      createdAt: '2026-12-07T01:02:12.000Z',
    },
  ],
  nextCursor: 311,
};

export const ctiCallEvent: CtiCallEvent = { callId: 'call-20261207-0193', ani: '13800138000', agentId: 'agent01', event: 'offered' };
export const ctiCallAccepted: z.output<typeof CtiCallAccepted> = { callId: 'call-20261207-0193', accepted: true };

const reportQuery = { from: '2026-11-01', to: '2026-11-30', team: 'T1' };
const offerNames = { 'OFF-D-RETENTION-DISCOUNT': { zh: '续约话费折扣', en: 'Renewal bill discount' } };

export const retentionReport: RetentionReport = {
  query: reportQuery,
  generatedAt: '2026-12-07T01:00:00.000Z',
  kpis: {
    atRiskContacted: 120,
    saveRate: { numerator: 81, denominator: 97, rate: 0.835 },
    presentationRate: { numerator: 140, denominator: 175, rate: 0.8 },
    acceptanceRate: { numerator: 42, denominator: 120, rate: 0.35 },
    retainedRevenue: 60_480,
    expectedMonthsKept: 12,
    averageHandleSeconds: 214,
    contacts: 175,
  },
  trend: [{ date: '2026-11-01', contacts: 6, presented: 5, accepted: 2, atRiskContacted: 4 }],
  uplift: { contacted: { customers: 120, churned: 9, churnRate: 0.075 }, notContacted: { customers: 80, churned: 14, churnRate: 0.175 }, uplift: 0.1 },
  experiments: [],
  programmes: [programmeExample()],
  offerNames,
};

/** A programme 90 days in: 2,400 treated and 260 held-out customers, 9 % against 13 % churn. */
function programmeExample(): ProgrammeEffect {
  const windows = [programmeWindow(90, { customers: 2400, churned: 216 }, { customers: 260, churned: 34 })];
  return {
    programmeId: 'PRG-RETENTION-2026H2',
    controlShare: 0.1,
    offerIds: ['OFF-D-RETENTION-DISCOUNT'],
    assigned: { treated: 3100, control: 340, exempt: 410 },
    windows,
    value: programmeValue(windows, new Map([[90, { arpuSum: 2400 * 78, cost: 61_000 }]]), 12),
    minimumGroup: PROGRAMME_MIN_GROUP,
    expectedMonthsKept: 12,
  };
}

export const outcomeReport: OutcomeReport = {
  query: reportQuery,
  generatedAt: '2026-12-07T01:00:00.000Z',
  rows: [
    {
      outcomeId: acceptedOutcome.outcomeId,
      recordedAt: '2026-11-07T01:02:11.000Z',
      agentId: 'agent01',
      team: 'T1',
      channel: 'hotline',
      customerId: 'CUS0000042',
      phoneMasked: '138****8000',
      stage: 'D',
      valueTier: 'gold',
      warningLevel: 'red',
      segment: 'D:gold',
      offerId: 'OFF-D-RETENTION-DISCOUNT',
      offerKind: 'retention',
      result: 'accepted',
      reason: null,
      expectedValue: 310.4,
      retainedRevenue: 1_536,
    },
  ],
  truncated: false,
  offerNames,
};

const cardView = {
  viewId: '019af3b2-4a10-7c2d-8e5f-6a7b8c9d0e1f',
  agentId: 'agent01',
  customerId: 'CUS0000042',
  phoneMasked: '138****8000',
  purpose: 'call',
  callId: 'call-20261207-0193',
  viewedAt: '2026-12-07T01:00:05.000Z',
} as const;

export const cardViewAuditBatch: CardViewAuditBatch = { deviceId: 'desk-7f3a', items: [cardView] };
export const cardViewAuditAccepted: z.output<typeof CardViewAuditAccepted> = { stored: 1, duplicates: 0 };
export const cardViewAuditList: CardViewAuditList = {
  views: [{ ...cardView, serverSeq: 5_120, receivedAt: '2026-12-07T01:00:06.000Z' }],
  nextCursor: 5_120,
};

export const customerEventBatchRequest: CustomerEventBatchRequest = {
  deviceId: 'desk-7f3a',
  items: [
    {
      eventId: '019af3b2-6d2f-7b3c-8a4d-5e6f7a8b9c0d',
      deviceId: 'desk-7f3a',
      agentId: 'agent01',
      recordedAt: '2026-12-07T09:03:00.000+08:00',
      draft: { customerId: 'CUS0000042', callId: 'call-20261207-0193', kind: 'network_issue', note: '室内信号弱 / weak indoor signal' },
    },
  ],
};

export const customerEventBatchResponse: CustomerEventBatchResponse = {
  results: [{ eventId: '019af3b2-6d2f-7b3c-8a4d-5e6f7a8b9c0d', status: 'accepted', appliedAtSeq: 41_209 }],
};
