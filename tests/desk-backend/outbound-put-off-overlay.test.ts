// The server leaves out of the outbound share the at-risk customers a retention call would put off
// (server/outbound/put-off-by-a-call.ts), as their cards stand when it builds the list. A complaint
// logged on this desk since then is on the desk's card (the event overlay) before it is in the
// customer row the desk synced, and it can make the programme's uplift model expect the call to put
// the customer off: the desk's queue then leaves them out of the list the server still sends.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import { fitUpliftModel, type UpliftExample, type UpliftModel } from '../../shared/analytics/uplift/uplift-model';
import type { CustomerCard, OutboundQueue } from '../../shared/contract/desk-api';
import type { Customer } from '../../shared/contract/entities';
import { retentionCallHarms } from '../../shared/offers/arbitrate';
import { buildDemoScoring, type DemoScoring } from '../db/support/demo-scoring';
import { makeOffer } from '../db/support/fixtures';
import { useTempDir } from '../db/support/temp-dir';
import { readCache, startBackend, type BackendHarness } from './support/backend-harness';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';

const NOW = new Date('2026-11-20T08:00:00Z');
const PROGRAMME = { id: 'winter-retention', controlShare: 0, neverHoldOut: [] };
/** Per complaints this month and group, the share leaving: a call helps a customer without one and puts off one who just complained. */
const LEAVING = { '0': { treated: 0.3, control: 0.6 }, '1': { treated: 0.7, control: 0.4 } } as const;
const PER_CELL = 600;
const temp = useTempDir();

let scoring: DemoScoring;
let upliftModel: UpliftModel;
/** Warned, with no complaint this month, and still warned once one is counted. */
let warned: Customer;

beforeAll(() => {
  scoring = buildDemoScoring(NOW);
  const examples: UpliftExample[] = Object.entries(LEAVING).flatMap(([complaints, leaving]) =>
    (['treated', 'control'] as const).flatMap((arm) =>
      Array.from({ length: PER_CELL }, (_, i) => ({ features: [complaints], arm, churned: i < PER_CELL * leaving[arm] })),
    ),
  );
  upliftModel = fitUpliftModel(examples, { programmeId: PROGRAMME.id, windowDays: 90, featureColumns: ['complaints_30d'] })!;
  warned = scoring.book.find((customer, i) => {
    const score = scoring.scores[i]!;
    const afterComplaint = rescoreCustomer(withCustomerEvents(customer, ['complaint']), scoring.bundle, NOW);
    return (
      customer.status === 'active' &&
      customer.complaints30d === 0 &&
      score.warningLevel !== 'none' &&
      score.clv !== null &&
      afterComplaint.warningLevel !== 'none'
    );
  })!;
});

describe("the desk's outbound queue after a complaint logged on the desk", () => {
  let mock: MockCentralApi;
  let desk: BackendHarness;
  let cachePath: string;

  beforeEach(async () => {
    mock = await startMockCentralApi();
    mock.put('customer', warned);
    mock.put('score', scoring.scores[scoring.book.indexOf(warned)]!);
    mock.put(
      'offer',
      makeOffer('retain-bonus', { valueBasis: 'customer_value', eligibility: { field: 'warningLevel', op: 'ne', value: 'none' }, programme: PROGRAMME }),
    );
    mock.setScoringBundle({ ...scoring.bundle, upliftModels: [upliftModel] });
    // The list the server built before the complaint: the customer is at risk and a call helps.
    mock.setOutboundCandidates([{ customerId: warned.id, slot: 'at_risk', callbackAt: null, valueAtRisk: 1000, lastContactAt: null }]);
    // No periodic download during the test: the complaint stays out of the synced customer row.
    cachePath = temp.path();
    desk = startBackend({ cachePath, apiUrl: mock.url, now: () => NOW, pullIntervalMs: 60_000 });
    await desk.loginAndSync('agent01');
  });
  afterEach(async () => {
    await desk.backend.close();
    await mock.close();
  });

  const queued = async () => (await desk.call<OutboundQueue>('outbound/queue')).items.map((item) => item.customerId);
  const outboundCard = () => desk.call<CustomerCard>('card/byCustomer', { customerId: warned.id, purpose: 'outbound' });

  it('leaves out a customer the complaint turned into one a call would put off, though the server still lists them', async () => {
    expect(retentionCallHarms((await outboundCard()).decision)).toBe(false);
    expect(await queued()).toEqual([warned.id]);

    await desk.call('customer/logEvent', { customerId: warned.id, callId: null, kind: 'complaint', category: 'billing', note: '多扣了 20 元' });
    const syncedComplaints = readCache(cachePath, (db) =>
      db.prepare<[string], number>("SELECT json_extract(data, '$.complaints30d') FROM customers WHERE id = ?").pluck().get(warned.id),
    );
    expect(syncedComplaints).toBe(0);
    expect(retentionCallHarms((await outboundCard()).decision)).toBe(true);
    expect(await queued()).toEqual([]);
  });
});
