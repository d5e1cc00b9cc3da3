// The store counter's identity check through the real desk backend against the mock central API:
// the whole ID number only for a store clerk who confirmed checking the ID card, with an audit row
// that reaches the server; an agent is refused and nothing is logged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ID_CHECK_PURPOSE } from '../../shared/contract/id-check';
import { queuedAuditRows, startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const ID_NUMBER = '11010519800101123X';

describe('identity check at the store counter', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;
  let cachePath: string;

  beforeEach(async () => {
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1, { name: '张三丰', idNumber: ID_NUMBER }));
    cachePath = temp.path();
    h = startBackend({ cachePath, apiUrl: mock.url });
  });
  afterEach(async () => {
    await h.backend.close();
    await mock.close();
  });

  it('shows a store clerk the whole number once the ID card is checked, and the server gets the audit row', async () => {
    await h.loginAndSync('store1');
    const before = mock.auditViews().length;
    const revealed = await h.call<{ idNumber: string; checkedAt: string }>('customer/revealIdNumber', { customerId: 'c-1', idCardChecked: true });
    expect(revealed.idNumber).toBe(ID_NUMBER);

    await until(() => mock.auditViews().length > before, 20_000, 'the identity check to upload');
    const checks = mock.auditViews().filter((view) => view.purpose === ID_CHECK_PURPOSE);
    expect(checks).toEqual([
      expect.objectContaining({
        customerId: 'c-1',
        agentId: expect.stringContaining('store1'),
        purpose: 'id_check',
        callId: null,
        viewedAt: revealed.checkedAt,
      }),
    ]);
    expect(JSON.stringify(checks)).not.toContain(ID_NUMBER); // the audit log says who saw it, not the number
  });

  it('refuses without the confirmation, and refuses an agent outright without logging anything', async () => {
    await h.loginAndSync('store1');
    expect(await h.backend.invoke('customer/revealIdNumber', { customerId: 'c-1' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await h.backend.invoke('customer/revealIdNumber', { customerId: 'c-404', idCardChecked: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await h.call('session/logout');

    await h.loginAndSync('agent1');
    const queued = queuedAuditRows(cachePath);
    const answer = await h.backend.invoke('customer/revealIdNumber', { customerId: 'c-1', idCardChecked: true });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(answer)).not.toContain(ID_NUMBER);
    expect(queuedAuditRows(cachePath)).toBe(queued);
    expect(mock.auditViews().filter((view) => view.purpose === ID_CHECK_PURPOSE)).toEqual([]);
  });
});
