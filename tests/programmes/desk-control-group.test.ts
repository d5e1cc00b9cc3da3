// Every desk agrees on the control groups without asking: the programme travels with the synced
// offers, and a desk's card for a held-out warned customer (from the real central API) shows a care
// action and none of the programme's offers, while a treated customer's card makes them.
// The model warns mostly for complaints and network faults, which the ethical limits release from
// every control group, so the 200-customer test book has no held-out warned customer of its own:
// the test gives one held-out customer a history the model really warns (atRiskWithoutComplaint).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import type { SqlClient } from '../../server/db/sql-client';
import { rescoreBook } from '../../server/scoring/rescore-book';
import { createScoringBundleCache } from '../../server/scoring/scoring-bundle-store';
import { upsertCustomers } from '../../server/sync/change-log';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { Customer, CustomerScore, Offer } from '../../shared/contract/entities';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { rescoreCustomer } from '../../shared/analytics/rescore-customer';
import { isHeldOut, programmesOf } from '../../shared/programmes/control-group';
import { useTempDir } from '../db/support/temp-dir';
import { startBackend, type BackendHarness } from '../desk-backend/support/backend-harness';
import { startTestApi } from '../server/support/test-api';
import { TEST_NOW } from '../support/test-clock';

const temp = useTempDir();
let api: CentralApi;
let desk: BackendHarness;

const MAIN_PROGRAMME = 'PRG-RETENTION-2026H2';

const programmeOffers = async (db: SqlClient) =>
  (await db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted')).map((r) => Offer.parse(r.data));

/** Spend and usage halved over the last three months, the contract ending in three weeks: no complaint, no fault. */
function atRiskWithoutComplaint(customer: Customer): Customer {
  const halvedLastQuarter = (series: readonly number[]) => series.map((value, i) => (i >= series.length - 3 ? Math.round(value * 50) / 100 : value));
  return {
    ...customer,
    arpu: halvedLastQuarter(customer.arpu),
    dataUsageGb: halvedLastQuarter(customer.dataUsageGb),
    voiceMinutes: halvedLastQuarter(customer.voiceMinutes),
    contractEnd: operatorDateDaysBefore(TEST_NOW, -21),
  };
}

/**
 * The first active customer the main programme holds out whom that history puts at red or orange
 * (over 90 days the model warns it for some customers, yellow for others) gets it, and the book is
 * scored again with the published model, as `clm score` does after a bill run.
 */
async function heldOutCustomerAtRisk(db: SqlClient): Promise<void> {
  const main = programmesOf(await programmeOffers(db)).find((p) => p.programme.id === MAIN_PROGRAMME)!.programme;
  const active = (await db.query<{ data: unknown }>(`SELECT data FROM customers WHERE NOT deleted AND status = 'active' ORDER BY id`)).map((r) =>
    Customer.parse(r.data),
  );
  const published = (await createScoringBundleCache()(db))!;
  const warnedAtRisk = (customer: Customer) => ['red', 'orange'].includes(rescoreCustomer(atRiskWithoutComplaint(customer), published, TEST_NOW).warningLevel);
  const heldOut = active.find((customer) => isHeldOut(customer, main) && warnedAtRisk(customer))!;
  await db.transaction((tx) => upsertCustomers(tx, [atRiskWithoutComplaint(heldOut)]));
  await rescoreBook(db, { model: published.model, now: TEST_NOW });
}

beforeAll(async () => {
  api = await startTestApi();
  await heldOutCustomerAtRisk(api.db);
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  desk = startBackend({ cachePath: temp.path(), apiUrl: `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`, now: () => TEST_NOW });
  await desk.call('session/login', { username: 'agent01', password: DEMO_PASSWORD });
  await desk.call('sync/now');
});
afterAll(async () => {
  await desk?.backend.close();
  await api?.close();
});

describe("a desk's cards of a retention programme's customers", () => {
  it('leave the programme out for a held-out customer and make it to a treated one', async () => {
    const [main] = programmesOf(await programmeOffers(api.db)).filter((p) => p.programme.id === MAIN_PROGRAMME);
    expect(main).toBeDefined();
    const warned = (
      await api.db.query<{ customer: unknown; score: unknown }>(
        `SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id
         WHERE c.status = 'active' AND s.warning_level IN ('red', 'orange') AND s.data->>'stage' IN ('B', 'C', 'D') ORDER BY c.id`,
      )
    ).map((r) => ({ customer: Customer.parse(r.customer), score: CustomerScore.parse(r.score) }));
    const heldOut = warned.find((w) => isHeldOut(w.customer, main!.programme));
    const treated = warned.filter((w) => !isHeldOut(w.customer, main!.programme));
    expect(heldOut, 'a held-out warned customer in the test book').toBeDefined();

    const cardOf = (customerId: string) => desk.call<CustomerCard>('card/byCustomer', { customerId, callId: `call-${customerId}`, purpose: 'lookup' });
    const held = await cardOf(heldOut!.customer.id);
    expect(held.offers.map((o) => o.offerId).filter((id) => main!.offerIds.includes(id))).toEqual([]);
    expect(held.offers[0]?.kind).toBe('care');

    // Some treated warned customer is made one of the programme's offers (the others may not pay or be cooling down).
    const treatedCards = await Promise.all(treated.slice(0, 20).map((w) => cardOf(w.customer.id)));
    expect(treatedCards.some((card) => card.offers.some((o) => main!.offerIds.includes(o.offerId)))).toBe(true);
  });
});
