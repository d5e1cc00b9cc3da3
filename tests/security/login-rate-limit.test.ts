// Login is rate-limited per username and per client IP, with the counts in the database: the
// API runs as stateless instances behind a load balancer, so the limit must hold across them.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentralApi, type CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { TEST_CTI_KEY, TEST_TOKEN_SECRET, expectApiError, startTestApi } from '../server/support/test-api';

const LIMIT = { windowSeconds: 600, maxFailuresPerUsername: 3, maxFailuresPerIp: 6 };

let api: CentralApi;
let otherInstance: CentralApi;
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0, loginRateLimit: LIMIT });
  // seedCustomers: 0 as for the first instance: without it a demo start finds no customers and seeds the whole demo book.
  otherInstance = await createCentralApi({
    db: { client: api.db, driver: api.driver },
    demo: true,
    seedCustomers: 0,
    tokenSecret: TEST_TOKEN_SECRET,
    ctiKey: TEST_CTI_KEY,
    loginRateLimit: LIMIT,
  });
});
afterAll(async () => {
  await otherInstance?.close();
  await api?.close();
});

const attempt = (on: CentralApi, username: string, password: string, ip: string, extra: Partial<InjectOptions> = {}) =>
  on.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress: ip, ...extra });

describe('login rate limit', () => {
  it('refuses a username with 429, Retry-After and an ApiError after too many failures, counted across instances', async () => {
    for (let i = 0; i < LIMIT.maxFailuresPerUsername; i++)
      expectApiError(await attempt(i % 2 === 0 ? api : otherInstance, 'agent01', `wrong-${i}`, `10.0.0.${i + 1}`), 401);

    // From yet another IP, on either instance, even with the right password: the username is locked for now.
    const locked = await attempt(otherInstance, 'agent01', DEMO_PASSWORD, '10.0.0.99');
    const body = expectApiError(locked, 429);
    expect(body.error).toBe('too_many_attempts');
    expect(body.message).toMatch(/try again in \d+ s/);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LIMIT.windowSeconds);
    // Case does not buy a fresh budget.
    expectApiError(await attempt(api, 'AGENT01', DEMO_PASSWORD, '10.0.0.98'), 429);
    // Other users are not affected.
    expect((await attempt(api, 'agent02', DEMO_PASSWORD, '10.0.0.99')).statusCode).toBe(200);
  });

  it('lets the username in again once its failures leave the window', async () => {
    await api.db.query(`UPDATE login_failures SET failed_at = failed_at - interval '1 hour'`);
    expect((await attempt(api, 'agent01', DEMO_PASSWORD, '10.0.0.1')).statusCode).toBe(200);
  });

  it('refuses a client IP that tries many usernames, but not other IPs', async () => {
    const ip = '192.0.2.7';
    for (let i = 0; i < LIMIT.maxFailuresPerIp; i++) expectApiError(await attempt(api, `nobody-${i}`, 'guess', ip), 401);
    expectApiError(await attempt(otherInstance, 'agent03', DEMO_PASSWORD, ip), 429);
    expect((await attempt(api, 'agent03', DEMO_PASSWORD, '192.0.2.8')).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted, so a client cannot pick its own IP', async () => {
    const ip = '192.0.2.7'; // still over its limit from the previous test
    const spoofed = await attempt(api, 'agent04', DEMO_PASSWORD, ip, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expectApiError(spoofed, 429);
  });

  it('a successful login clears that username’s failures', async () => {
    for (let i = 0; i < LIMIT.maxFailuresPerUsername - 1; i++) expectApiError(await attempt(api, 'store01', 'wrong', `198.51.100.${i}`), 401);
    expect((await attempt(api, 'store01', DEMO_PASSWORD, '198.51.100.50')).statusCode).toBe(200);
    for (let i = 0; i < LIMIT.maxFailuresPerUsername - 1; i++) expectApiError(await attempt(api, 'store01', 'wrong', `198.51.100.${i + 10}`), 401);
    expect((await attempt(api, 'store01', DEMO_PASSWORD, '198.51.100.51')).statusCode).toBe(200);
  });

  it('keeps no username in clear in its ledger (people type passwords into that field)', async () => {
    expectApiError(await attempt(api, 'MyS3cretPassw0rd', 'x', '198.51.100.99'), 401);
    const rows = await api.db.query<{ username_key: string }>('SELECT username_key FROM login_failures');
    expect(rows.some((r) => r.username_key.includes('MyS3cret'))).toBe(false);
  });
});

describe('behind a trusted load balancer', () => {
  let proxied: CentralApi;
  beforeAll(async () => {
    proxied = await createCentralApi({
      db: { client: api.db, driver: api.driver },
      demo: true,
      seedCustomers: 0,
      tokenSecret: TEST_TOKEN_SECRET,
      ctiKey: TEST_CTI_KEY,
      loginRateLimit: LIMIT,
      trustProxy: '127.0.0.1',
    });
  });
  afterAll(() => proxied?.close());

  it('counts the client address the load balancer forwards, not the load balancer', async () => {
    const viaLb = (client: string, username: string, password: string) =>
      attempt(proxied, username, password, '127.0.0.1', { headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < LIMIT.maxFailuresPerIp; i++) expectApiError(await viaLb('203.0.113.9', `ghost-${i}`, 'guess'), 401);
    expectApiError(await viaLb('203.0.113.9', 'agent05', DEMO_PASSWORD), 429);
    expect((await viaLb('203.0.113.10', 'agent05', DEMO_PASSWORD)).statusCode).toBe(200);
  });
});
