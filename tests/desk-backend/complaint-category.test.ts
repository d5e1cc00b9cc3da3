// A complaint carries what it is about (billing, network, service, other) and the agent's note to
// the central API; events written before categories existed stay valid, and only a complaint may
// have a category.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerEvent, CustomerEventDraft } from '../../shared/contract/customer-events';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();

describe('complaint category', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;

  beforeEach(async () => {
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1));
    h = startBackend({ cachePath: temp.path(), apiUrl: mock.url });
    await h.call('session/login', { username: 'li', password: 'secret' });
    await h.call('sync/now');
  });
  afterEach(async () => {
    await h.backend.close();
    await mock.close();
  });

  it('uploads the category and the note with the complaint', async () => {
    await h.call('customer/logEvent', { customerId: 'c-1', callId: 'call-1', kind: 'complaint', category: 'billing', note: '多扣了 20 元' });
    await until(() => mock.storedEvents().length === 1);
    expect(mock.storedEvents()[0]!.draft).toEqual({ customerId: 'c-1', callId: 'call-1', kind: 'complaint', category: 'billing', note: '多扣了 20 元' });
  });

  it('refuses a category that is not one of the four, and a category on a network fault, changing nothing', async () => {
    const unknown = await h.backend.invoke('customer/logEvent', { customerId: 'c-1', kind: 'complaint', category: 'rudeness' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const onFault = await h.backend.invoke('customer/logEvent', { customerId: 'c-1', kind: 'network_issue', category: 'network' });
    expect(onFault).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('only a complaint has a category') } });
    await h.call('sync/now');
    expect(mock.storedEvents()).toEqual([]);
  });

  it('keeps events from before categories valid', () => {
    const old = {
      eventId: '0197712b-4c00-7000-8000-000000000001',
      deviceId: 'd-1',
      agentId: 'agent-li',
      recordedAt: '2026-01-01T00:00:00.000Z',
      draft: { customerId: 'c-1', callId: null, kind: 'complaint', note: '' },
    };
    expect(CustomerEvent.parse(old).draft).toEqual({ customerId: 'c-1', callId: null, kind: 'complaint', note: '' });
    expect(CustomerEventDraft.safeParse({ customerId: 'c-1', kind: 'network_issue' }).success).toBe(true);
  });
});
