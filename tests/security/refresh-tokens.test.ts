// Short-lived access tokens with rotating, single-use refresh tokens kept (hashed) in the
// database, so any instance can refresh and a replayed refresh token ends the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse, RefreshResponse } from '../../shared/contract/auth-refresh';
import { createCentralApi, type CentralApi } from '../../server/app';
import { DEFAULT_ACCESS_TOKEN_TTL_MINUTES, DEFAULT_TOKEN_TTL_MINUTES } from '../../server/config';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { TEST_CTI_KEY, TEST_TOKEN_SECRET, bearer, expectApiError, startTestApi } from '../server/support/test-api';

let api: CentralApi;
let otherInstance: CentralApi;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 5 });
  // A second instance behind the same load balancer: same database, same secret, no shared memory.
  otherInstance = await createCentralApi({ db: { client: api.db, driver: api.driver }, demo: true, tokenSecret: TEST_TOKEN_SECRET, ctiKey: TEST_CTI_KEY });
});
afterAll(async () => {
  await otherInstance?.close();
  await api?.close();
});

async function login(username = 'agent01'): Promise<LoginWithRefreshResponse> {
  const response = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(response.statusCode, response.body).toBe(200);
  return LoginWithRefreshResponse.parse(response.json());
}
const refresh = (refreshToken: string, on: CentralApi = api) => on.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
const minutesUntil = (iso: string) => (Date.parse(iso) - Date.now()) / 60_000;
const canPull = async (token: string) => (await api.app.inject({ method: 'GET', url: '/sync/changes?limit=1', headers: bearer(token) })).statusCode;

describe('login', () => {
  it('gives a short-lived access token, a refresh token, and the session end (a shift)', async () => {
    const session = await login();
    expect(minutesUntil(session.accessExpiresAt)).toBeGreaterThan(DEFAULT_ACCESS_TOKEN_TTL_MINUTES - 1);
    expect(minutesUntil(session.accessExpiresAt)).toBeLessThanOrEqual(DEFAULT_ACCESS_TOKEN_TTL_MINUTES);
    expect(minutesUntil(session.expiresAt)).toBeGreaterThan(DEFAULT_TOKEN_TTL_MINUTES - 1);
    expect(await canPull(session.token)).toBe(200);
  });

  it('stores only a hash of the refresh token', async () => {
    const session = await login();
    const rows = await api.db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === session.refreshToken || r.token_hash.includes(session.refreshToken))).toBe(false);
  });
});

describe('POST /auth/refresh', () => {
  it('rotates: a new access token that works and a new refresh token; the session end does not move', async () => {
    const session = await login();
    const response = await refresh(session.refreshToken);
    expect(response.statusCode, response.body).toBe(200);
    const renewed = RefreshResponse.parse(response.json());
    expect(renewed.refreshToken).not.toBe(session.refreshToken);
    expect(renewed.token).not.toBe(session.token);
    expect(renewed.expiresAt).toBe(session.expiresAt);
    expect(renewed.user).toEqual(session.user);
    expect(await canPull(renewed.token)).toBe(200);
  });

  it('works on any instance: log in on one, refresh on another', async () => {
    const session = await login('agent02');
    const response = await refresh(session.refreshToken, otherInstance);
    expect(response.statusCode, response.body).toBe(200);
    expect(RefreshResponse.parse(response.json()).user.id).toBe('agent02');
  });

  it('refuses a reused refresh token and revokes the whole session it belongs to', async () => {
    const session = await login('agent03');
    const first = RefreshResponse.parse((await refresh(session.refreshToken)).json());
    // The old token comes back (a stolen copy, or a replay): refused, on whichever instance.
    expect(expectApiError(await refresh(session.refreshToken, otherInstance), 401).message).toMatch(/already used/);
    // ...and the legitimate holder's newer token dies with it: both parties must log in again.
    expect(expectApiError(await refresh(first.refreshToken), 401).error).toBe('invalid_refresh_token');
  });

  it('refuses an unknown token, a malformed body, and a session that has ended', async () => {
    expect(expectApiError(await refresh('x'.repeat(43)), 401).message).toMatch(/Invalid refresh token/);
    expectApiError(await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: 'short' } }), 400);
    expectApiError(await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { token: 'x'.repeat(43) } }), 400);

    const session = await login('agent04');
    await api.db.query(`UPDATE refresh_tokens SET session_expires_at = now() - interval '1 minute' WHERE used_at IS NULL AND revoked_at IS NULL`);
    expect(expectApiError(await refresh(session.refreshToken), 401).message).toMatch(/Session ended/);
  });

  it('never issues an access token that outlives its session', async () => {
    const session = await login('agent05');
    await api.db.query(`UPDATE refresh_tokens SET session_expires_at = now() + interval '2 minutes' WHERE used_at IS NULL AND revoked_at IS NULL`);
    const renewed = RefreshResponse.parse((await refresh(session.refreshToken)).json());
    expect(minutesUntil(renewed.accessExpiresAt)).toBeLessThanOrEqual(2);
    expect(renewed.accessExpiresAt).toBe(renewed.expiresAt);
  });

  it('is a public route: the refresh token is the credential, no bearer needed', async () => {
    const session = await login('store01');
    const response = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: { authorization: 'Bearer nonsense' },
      payload: { refreshToken: session.refreshToken },
    });
    expect(response.statusCode).toBe(200);
  });
});
