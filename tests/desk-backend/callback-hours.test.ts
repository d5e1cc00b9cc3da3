// The desk backend books callbacks only inside the operator's contact hours, for every caller of
// outcome/record (the form says so first); a server that does not send its hours gets the default.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/contract/desk-api';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer, makeOffer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';

const temp = useTempDir();

describe('callbacks and contact hours', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;
  let session: Session;
  beforeEach(async () => {
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1));
    mock.put('offer', makeOffer('o-1'));
    h = startBackend({ cachePath: temp.path(), apiUrl: mock.url });
    session = await h.call<Session>('session/login', { username: 'li', password: 'secret' });
  });
  afterEach(async () => {
    await h.backend.close();
    await mock.close();
  });

  const callback = (callbackAt: string) =>
    h.backend.invoke('outcome/record', {
      callId: null,
      customerId: 'c-1',
      phone: null,
      offerId: 'o-1',
      result: 'callback',
      callbackAt,
      note: '',
      channel: 'hotline',
    });

  it('refuses a callback at 23:30 China time and books one at 10:30', async () => {
    expect(session.contactHours).toEqual({ from: '08:00', to: '21:00' });
    const late = await callback('2030-06-16T15:30:00.000Z');
    expect(late).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!late.ok && late.error.message).toBe('the callback time is outside contact hours (08:00–21:00 China time)');
    expect(await callback('2030-06-16T02:30:00.000Z')).toMatchObject({ ok: true });
  });
});
