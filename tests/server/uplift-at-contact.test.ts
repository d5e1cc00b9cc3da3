// The uplift's contacted group is decided by the warning the card showed at the contact, not by
// today's score: a retention call that lowered a customer's risk must not drop them from the group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionReport } from '../../shared/contract/supervisor-reports';
import type { CentralApi } from '../../server/app';
import { addCustomer, addOffer, addOutcome, addStaff, operatorDate, operatorInstant } from './support/report-fixtures';
import { bearer, login, startTestApi } from './support/test-api';

let api: CentralApi;
let supervisorToken: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  const db = api.db;
  await addStaff(db, [
    { username: 'sup-upl', role: 'supervisor', team: 'UPL' },
    { username: 'agent-upl', role: 'agent', team: 'UPL' },
  ]);
  supervisorToken = await login(api.app, 'sup-upl');
  await addOffer(db, { id: 'UPL-RETENTION', kind: 'retention' });
  // Red when called, 'none' today after accepting the retention offer; still a customer.
  await addCustomer(db, { id: 'U-SAVED', phone: '13900010001', churnDaysAgo: null, warningLevel: 'none' });
  // Orange when called, left since; today's score is red.
  await addCustomer(db, { id: 'U-LOST', phone: '13900010002', churnDaysAgo: 3, warningLevel: 'red' });
  // No warning when called, warned today and left since: not a warned contact.
  await addCustomer(db, { id: 'U-LATER', phone: '13900010003', churnDaysAgo: 2, warningLevel: 'red' });
  // Warned today and called by nobody: the comparison group.
  await addCustomer(db, { id: 'U-QUIET', phone: '13900010004', churnDaysAgo: null, warningLevel: 'yellow' });
  const call = (customerId: string, warningLevel: 'red' | 'orange' | 'none', daysAgo: number) =>
    addOutcome(db, {
      agentId: 'agent-upl',
      customerId,
      offerId: 'UPL-RETENTION',
      result: 'accepted',
      recordedAt: operatorInstant(daysAgo),
      warningLevel,
      arpu3m: 80,
    });
  await call('U-SAVED', 'red', 20);
  await call('U-LOST', 'orange', 15);
  await call('U-LATER', 'none', 10);
});
afterAll(() => api?.close());

describe('uplift: warned at the time of contact', () => {
  it('counts contacted customers by the warning at contact and the rest by the current score', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/reports/retention?from=${operatorDate(30)}&to=${operatorDate(0)}`,
      headers: bearer(supervisorToken),
    });
    expect(response.statusCode, response.body).toBe(200);
    const { uplift } = RetentionReport.parse(response.json());
    expect(uplift.contacted).toEqual({ customers: 2, churned: 1, churnRate: 1 / 2 });
    expect(uplift.notContacted).toEqual({ customers: 1, churned: 0, churnRate: 0 });
  });
});
