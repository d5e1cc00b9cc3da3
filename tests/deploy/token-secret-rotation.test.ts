// The runbook's rotation of CLM_TOKEN_SECRET: instances restarted with a new secret refuse the access
// tokens signed with the old one, but a desk's refresh token (random, stored hashed in the database,
// not signed) still renews its session, so agents stay logged in through the rotation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse, RefreshResponse } from '../../shared/contract/auth-refresh';
import { createCentralApi, type CentralApi } from '../../server/app';
import { openPgliteClient } from '../../server/db/pglite-client';
import type { SqlClient } from '../../server/db/sql-client';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { bearer, TEST_CTI_KEY } from '../server/support/test-api';

const OLD_SECRET = 'old-token-secret-0123456789abcdefghij';
const NEW_SECRET = 'new-token-secret-0123456789abcdefghij';

describe('rotating CLM_TOKEN_SECRET', () => {
  let db: SqlClient;
  let api: CentralApi | undefined;
  const startWith = (tokenSecret: string) =>
    createCentralApi({ db: { client: db, driver: 'pglite' }, demo: true, seedCustomers: 5, tokenSecret, ctiKey: TEST_CTI_KEY });

  beforeAll(async () => {
    db = await openPgliteClient();
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('refuses old access tokens and renews sessions from their refresh tokens', async () => {
    api = await startWith(OLD_SECRET);
    const login = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent01', password: DEMO_PASSWORD } });
    const session = LoginWithRefreshResponse.parse(login.json());
    await api.close();

    api = await startWith(NEW_SECRET);
    const withOldToken = await api.app.inject({ method: 'GET', url: '/sync/changes?after=0&limit=1', headers: bearer(session.token) });
    expect(withOldToken.statusCode).toBe(401);

    const refreshed = await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const renewed = RefreshResponse.parse(refreshed.json());
    expect(renewed.expiresAt).toBe(session.expiresAt);
    const withNewToken = await api.app.inject({ method: 'GET', url: '/sync/changes?after=0&limit=1', headers: bearer(renewed.token) });
    expect(withNewToken.statusCode, withNewToken.body).toBe(200);
  });
});
