// A lost laptop's desk is revoked by an administrator: every session started on it ends at once
// (its access token is refused on the next request, its refresh token is dead) and it may not sign
// in again, while the same user on another desk carries on. Reinstating lets it sign in again.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import { DeskList, DeskRecord, DeskRevocationStatus } from '../../shared/contract/desks';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { bearer, expectApiError, login, startTestApi } from '../server/support/test-api';

let api: CentralApi;
let adminToken: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 10 });
  adminToken = await login(api.app, 'admin01');
});
afterAll(() => api?.close());

async function signInOn(deskId: string | null, username = 'agent01') {
  const headers = deskId === null ? {} : { 'x-clm-desk': deskId };
  return api.app.inject({ method: 'POST', url: '/auth/login', headers, payload: { username, password: DEMO_PASSWORD } });
}

async function sessionOn(deskId: string | null, username = 'agent01') {
  const response = await signInOn(deskId, username);
  expect(response.statusCode, response.body).toBe(200);
  return LoginWithRefreshResponse.parse(response.json());
}

const syncPage = (token: string) => api.app.inject({ method: 'GET', url: '/sync/changes?limit=1', headers: bearer(token) });
const refresh = (refreshToken: string) => api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
const revoke = (deskId: string, body: object = { reason: 'laptop stolen, ticket 4711' }) =>
  api.app.inject({ method: 'POST', url: `/desks/${deskId}/revoke`, headers: bearer(adminToken), payload: body });
const reinstate = (deskId: string) => api.app.inject({ method: 'POST', url: `/desks/${deskId}/reinstate`, headers: bearer(adminToken) });
const revocationOf = async (deskId: string) => DeskRevocationStatus.parse((await api.app.inject({ method: 'GET', url: `/desks/${deskId}/revocation` })).json());

describe('desk revocation', () => {
  it('ends every session started on the desk at once, refuses it a new one, and leaves the user’s other desks alone', async () => {
    const lost = `desk-${uuidv7()}`;
    const other = `desk-${uuidv7()}`;
    const onLost = await sessionOn(lost);
    const onLostToo = await sessionOn(lost, 'agent02');
    const onOther = await sessionOn(other);
    const unbound = await sessionOn(null);
    expect((await syncPage(onLost.token)).statusCode).toBe(200);

    const revoked = await revoke(lost);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(DeskRecord.parse(revoked.json())).toMatchObject({ deskId: lost, lastUserId: 'agent02', revokedBy: 'admin01', unsent: 'hold' });

    // The access token is far from its expiry, and still refused, with a code the desk acts on.
    for (const token of [onLost.token, onLostToo.token]) expect(expectApiError(await syncPage(token), 401).error).toBe('desk_revoked');
    expect(expectApiError(await refresh(onLost.refreshToken), 401).error).toBe('desk_revoked');
    expect(expectApiError(await signInOn(lost), 403).error).toBe('desk_revoked');
    const [dead] = await api.db.query<{ live: number }>(
      'SELECT count(*)::int AS live FROM refresh_tokens WHERE device_id = $1 AND revoked_at IS NULL AND used_at IS NULL',
      [lost],
    );
    expect(dead?.live).toBe(0);
    expect(await revocationOf(lost)).toEqual({ revoked: true, unsent: 'hold' });

    // The same user elsewhere, and a session bound to no desk, carry on.
    expect((await syncPage(onOther.token)).statusCode).toBe(200);
    expect((await refresh(onOther.refreshToken)).statusCode).toBe(200);
    expect((await syncPage(unbound.token)).statusCode).toBe(200);
    expect(await revocationOf(other)).toEqual({ revoked: false, unsent: null });
  });

  it('binds the refreshed access token to the desk too', async () => {
    const deskId = `desk-${uuidv7()}`;
    const first = await sessionOn(deskId);
    const renewed = LoginWithRefreshResponse.omit({ contactHours: true }).parse((await refresh(first.refreshToken)).json());
    expect((await revoke(deskId)).statusCode).toBe(200);
    expect(expectApiError(await syncPage(renewed.token), 401).error).toBe('desk_revoked');
    expect(expectApiError(await refresh(renewed.refreshToken), 401).error).toBe('desk_revoked');
  });

  it('a second revocation changes the decision and the reason but keeps the time; reinstating lets the desk sign in again', async () => {
    const deskId = `desk-${uuidv7()}`;
    const before = await sessionOn(deskId);
    const first = DeskRecord.parse((await revoke(deskId)).json());
    const second = DeskRecord.parse((await revoke(deskId, { reason: 'not found after a week', unsent: 'discard' })).json());
    expect(second).toMatchObject({ revokedAt: first.revokedAt, revokeReason: 'not found after a week', unsent: 'discard' });
    expect(await revocationOf(deskId)).toEqual({ revoked: true, unsent: 'discard' });

    const back = await reinstate(deskId);
    expect(DeskRecord.parse(back.json())).toMatchObject({ revokedAt: null, unsent: null });
    expect(await revocationOf(deskId)).toEqual({ revoked: false, unsent: null });
    const again = await sessionOn(deskId);
    expect((await syncPage(again.token)).statusCode).toBe(200);
    // The sessions the revocation ended stay ended.
    expect(expectApiError(await refresh(before.refreshToken), 401).error).toBe('invalid_refresh_token');
  });

  it('lists the desks with their last user, and refuses an unknown desk or a revocation without a reason', async () => {
    const deskId = `desk-${uuidv7()}`;
    await sessionOn(deskId, 'store01');
    const listed = DeskList.parse((await api.app.inject({ method: 'GET', url: '/desks', headers: bearer(adminToken) })).json());
    expect(listed.desks.find((desk) => desk.deskId === deskId)).toMatchObject({ lastUserId: 'store01', revokedAt: null });

    expect(expectApiError(await revoke(`desk-${uuidv7()}`), 404).error).toBe('unknown_desk');
    expect(expectApiError(await reinstate(`desk-${uuidv7()}`), 404).error).toBe('unknown_desk');
    expect((await revoke(deskId, { reason: '  ' })).statusCode).toBe(400);
    expect((await revoke(deskId, { reason: 'x', unsent: 'upload' })).statusCode).toBe(400);
    expect(await revocationOf(deskId)).toEqual({ revoked: false, unsent: null });
  });

  it('refuses a desk id in the header that no desk could have', async () => {
    expect((await signInOn('x'.repeat(65))).statusCode).toBe(400);
  });
});
