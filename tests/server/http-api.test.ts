// Auth, role rules, and the error contract: bad input of any kind is a 400 ApiError naming the
// fields, never a 500.
import type { InjectOptions } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse, type Role } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { DEFAULT_TOKEN_TTL_MINUTES } from '../../server/config';
import { TEST_CTI_KEY, TEST_TOKEN_SECRET, bearer, expectApiError, login, outcomeItem, startTestApi } from './support/test-api';

let api: CentralApi;
const tokens: Partial<Record<Role, string>> = {};
const tokenOf = (role: Role) => tokens[role]!;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 20 });
  tokens.agent = await login(api.app, 'agent01');
  tokens.store = await login(api.app, 'store01');
  tokens.supervisor = await login(api.app, 'sup01');
  tokens.admin = await login(api.app, 'admin01');
});
afterAll(() => api?.close());

const inject = (options: InjectOptions) => api.app.inject(options);

describe('login', () => {
  it('returns a token for the right password, valid for a shift', async () => {
    const response = await inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent03', password: 'demo1234' } });
    expect(response.statusCode).toBe(200);
    const body = LoginResponse.parse(response.json());
    expect(body.user).toEqual({ id: 'agent03', role: 'agent', displayName: expect.stringContaining('agent03'), team: 'T1' });
    const minutesLeft = (Date.parse(body.expiresAt) - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(DEFAULT_TOKEN_TTL_MINUTES - 1);
    expect(minutesLeft).toBeLessThanOrEqual(DEFAULT_TOKEN_TTL_MINUTES);
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent01', password: 'nope' } });
    const unknown = await inject({ method: 'POST', url: '/auth/login', payload: { username: 'ghost', password: 'demo1234' } });
    expect(expectApiError(wrong, 401)).toEqual(expectApiError(unknown, 401));
  });
});

describe('bearer tokens and roles', () => {
  const key = new TextEncoder().encode(TEST_TOKEN_SECRET);
  const forge = (claims: { exp: number; secret?: Uint8Array }) =>
    new SignJWT({ role: 'agent', name: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('clm-central-api')
      .setSubject('agent01')
      .setExpirationTime(claims.exp)
      .sign(claims.secret ?? key);

  it('401s a missing, malformed, foreign or expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /Missing bearer token/],
      [{ authorization: 'Bearer not-a-jwt' }, /Invalid token/],
      [{ authorization: 'Basic YWdlbnQwMTpkZW1vMTIzNA==' }, /Missing bearer token/],
      [bearer(await forge({ exp: now + 600, secret: new TextEncoder().encode('another-secret') })), /Invalid token/],
      [bearer(await forge({ exp: now - 10 })), /expired/],
    ];
    for (const [headers, message] of cases) {
      const response = await inject({ method: 'GET', url: '/sync/changes', headers });
      expect(expectApiError(response, 401).message).toMatch(message);
    }
  });

  it('lets every role pull changes', async () => {
    for (const role of ['agent', 'store', 'supervisor', 'admin'] as const) {
      const response = await inject({ method: 'GET', url: '/sync/changes?limit=1', headers: bearer(tokenOf(role)) });
      expect(response.statusCode, role).toBe(200);
    }
  });

  it('lets agent, store and supervisor upload outcomes, but not admin', async () => {
    for (const role of ['agent', 'store', 'supervisor'] as const) {
      const deviceId = `roles-${role}`;
      const response = await inject({
        method: 'POST',
        url: '/outcomes/batch',
        headers: bearer(tokenOf(role)),
        payload: { deviceId, items: [outcomeItem(deviceId, 1)] },
      });
      expect(response.statusCode, role).toBe(200);
    }
    const denied = await inject({
      method: 'POST',
      url: '/outcomes/batch',
      headers: bearer(tokenOf('admin')),
      payload: { deviceId: 'x', items: [outcomeItem('x', 1)] },
    });
    expect(expectApiError(denied, 403).error).toBe('forbidden');
  });

  it('lets only supervisor and admin list outcomes', async () => {
    for (const role of ['supervisor', 'admin'] as const)
      expect((await inject({ method: 'GET', url: '/outcomes', headers: bearer(tokenOf(role)) })).statusCode).toBe(200);
    for (const role of ['agent', 'store'] as const) expectApiError(await inject({ method: 'GET', url: '/outcomes', headers: bearer(tokenOf(role)) }), 403);
    expectApiError(await inject({ method: 'GET', url: '/outcomes' }), 401);
  });

  it('checks the token before the body, so anonymous callers learn nothing from validation', async () => {
    const response = await inject({ method: 'POST', url: '/outcomes/batch', headers: { 'content-type': 'application/json' }, payload: '{oops' });
    expectApiError(response, 401);
  });
});

describe('bad input is a 400 ApiError that names the fields, never a 500', () => {
  type Case = { name: string; method: 'GET' | 'POST'; url: string; body?: unknown; raw?: string; auth?: Role | 'cti'; expect: RegExp };
  const json = { 'content-type': 'application/json' };
  const validItem = outcomeItem('desk-400', 1);
  const cases: Case[] = [
    { name: 'login: not JSON', method: 'POST', url: '/auth/login', raw: '{"username":', expect: /not valid JSON/ },
    { name: 'login: wrong type', method: 'POST', url: '/auth/login', body: { username: 5, password: 'x' }, expect: /username: .*expected string/ },
    {
      name: 'login: unknown field',
      method: 'POST',
      url: '/auth/login',
      body: { username: 'a', password: 'b', remember: true },
      expect: /remember: unknown field/,
    },
    { name: 'login: missing body', method: 'POST', url: '/auth/login', expect: /\(root\)/ },
    { name: 'login: JSON array', method: 'POST', url: '/auth/login', body: [1, 2], expect: /\(root\): .*expected object/ },
    { name: 'sync: negative after', method: 'GET', url: '/sync/changes?after=-1', auth: 'agent', expect: /after:/ },
    { name: 'sync: limit not a number', method: 'GET', url: '/sync/changes?limit=abc', auth: 'agent', expect: /limit:/ },
    { name: 'sync: limit too large', method: 'GET', url: '/sync/changes?limit=5001', auth: 'agent', expect: /limit:/ },
    { name: 'sync: unknown parameter', method: 'GET', url: '/sync/changes?cursor=3', auth: 'agent', expect: /cursor: unknown field/ },
    { name: 'batch: not JSON', method: 'POST', url: '/outcomes/batch', raw: '{"deviceId": "a", items: []}', auth: 'agent', expect: /not valid JSON/ },
    {
      name: 'batch: items not a list',
      method: 'POST',
      url: '/outcomes/batch',
      body: { deviceId: 'd', items: 'all' },
      auth: 'agent',
      expect: /items: .*expected array/,
    },
    { name: 'batch: empty', method: 'POST', url: '/outcomes/batch', body: { deviceId: 'd', items: [] }, auth: 'agent', expect: /items:/ },
    {
      name: 'batch: not a UUIDv7',
      method: 'POST',
      url: '/outcomes/batch',
      body: { deviceId: 'desk-400', items: [{ ...validItem, outcomeId: '8c1f6d7e-2f4b-4c3a-9a1b-0d2e3f4a5b6c' }] },
      auth: 'agent',
      expect: /items\.0\.outcomeId/,
    },
    {
      name: 'batch: nested unknown field',
      method: 'POST',
      url: '/outcomes/batch',
      body: { deviceId: 'desk-400', items: [{ ...validItem, draft: { ...validItem.draft, mood: 'happy' } }] },
      auth: 'agent',
      expect: /items\.0\.draft\.mood: unknown field/,
    },
    {
      name: 'batch: callback without time',
      method: 'POST',
      url: '/outcomes/batch',
      body: { deviceId: 'desk-400', items: [{ ...validItem, draft: { ...validItem.draft, result: 'callback' } }] },
      auth: 'agent',
      expect: /items\.0\.draft\.callbackAt: a callback outcome needs callbackAt/,
    },
    {
      name: 'batch: clientSeq wrong type',
      method: 'POST',
      url: '/outcomes/batch',
      body: { deviceId: 'desk-400', items: [{ ...validItem, clientSeq: '1' }] },
      auth: 'agent',
      expect: /items\.0\.clientSeq/,
    },
    { name: 'outcomes: bad cursor', method: 'GET', url: '/outcomes?after=x', auth: 'supervisor', expect: /after:/ },
    { name: 'outcomes: limit too large', method: 'GET', url: '/outcomes?limit=1001', auth: 'supervisor', expect: /limit:/ },
    { name: 'cti: not JSON', method: 'POST', url: '/cti/calls', raw: 'callId=1', auth: 'cti', expect: /not valid JSON/ },
    {
      name: 'cti: missing agent',
      method: 'POST',
      url: '/cti/calls',
      body: { callId: 'c1', ani: '13800000000', event: 'offered' },
      auth: 'cti',
      expect: /agentId:/,
    },
    {
      name: 'cti: unknown event',
      method: 'POST',
      url: '/cti/calls',
      body: { callId: 'c1', ani: '1', agentId: 'agent01', event: 'ringing' },
      auth: 'cti',
      expect: /event:/,
    },
    {
      name: 'cti: unknown field',
      method: 'POST',
      url: '/cti/calls',
      body: { callId: 'c1', ani: '1', agentId: 'agent01', event: 'offered', queue: 'vip' },
      auth: 'cti',
      expect: /queue: unknown field/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const headers: Record<string, string> = c.auth === 'cti' ? { 'x-cti-key': TEST_CTI_KEY } : c.auth === undefined ? {} : bearer(tokenOf(c.auth));
      const payload = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
      const response = await inject({
        method: c.method,
        url: c.url,
        headers: payload === undefined ? headers : { ...headers, ...json },
        ...(payload === undefined ? {} : { payload }),
      });
      const error = expectApiError(response, 400);
      expect(error.message).toMatch(c.expect);
      if (error.issues !== undefined) expect(error.issues.length).toBeGreaterThan(0);
    });
  }

  it('answers a body in another media type with 415 ApiError', async () => {
    const response = await inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'agent01:demo1234' });
    expectApiError(response, 415);
  });

  it('answers an unknown route with 404 ApiError', async () => {
    expect(expectApiError(await inject({ method: 'GET', url: '/nope?x=1' }), 404).message).toBe('No route GET /nope');
  });
});

describe('public endpoints', () => {
  it('serves /health and the OpenAPI document', async () => {
    expect((await inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true });
    const doc = (await inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/auth/login', '/sync/changes', '/outcomes/batch', '/outcomes', '/cti/calls']));
  });
});
