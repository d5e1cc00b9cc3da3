// Property: whatever arrives at any central API route (bodies, query strings, headers, with or
// without a valid token), the answer is a 2xx or a 4xx ApiError with a message, never a 5xx;
// and a request that is refused changes no data. Routes are taken from the running app, so a
// new route is fuzzed without anyone remembering to add it here.
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/contract/central-api';
import type { CentralApi, RouteSummary } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { TEST_CTI_KEY, login, outcomeItem, startTestApi } from '../server/support/test-api';
import { useCheapDemoPasswords } from '../support/cheap-passwords';
import { FUZZ_RUNS, hostileBodyText, hostileContentType, hostileQuery } from './support/bad-input';

let api: CentralApi;
const tokens: string[] = [];
/** A seeded customer's number and id: the path parameters the card routes would accept. */
const knownPathValues = new Map<string, string>();

beforeAll(async () => {
  // A limit no fuzz run reaches, so logins keep being judged on their merits (the limiter has its own tests).
  api = await startTestApi({ seedCustomers: 10, loginRateLimit: { maxFailuresPerUsername: 1e9, maxFailuresPerIp: 1e9 } });
  // Every fuzzed login that gets past validation checks a password: at a cheap stored cost (tests/support/cheap-passwords.ts).
  await useCheapDemoPasswords(api.db);
  for (const username of ['agent01', 'store01', 'sup01', 'admin01']) tokens.push(await login(api.app, username));
  const [customer] = await api.db.query<{ id: string; phone: string }>('SELECT id, phone FROM customers WHERE NOT deleted ORDER BY id LIMIT 1');
  knownPathValues.set('phone', customer!.phone).set('customerId', customer!.id);
  await api.db.query(`PREPARE fuzz_fingerprint AS ${FINGERPRINT_SQL}`);
});
afterAll(() => api?.close());

/** The body each route would accept, as the seed the "almost right" inputs are mutated from. */
function validBody(url: string): unknown {
  switch (url) {
    case '/auth/login':
      return { username: 'agent01', password: DEMO_PASSWORD };
    case '/auth/refresh':
      return { refreshToken: 'r'.repeat(43) };
    case '/auth/oidc/token':
      return { code: 'c'.repeat(43) };
    case '/outcomes/batch': {
      const deviceId = `fuzz-${uuidv7()}`;
      return { deviceId, items: [outcomeItem(deviceId, 1), outcomeItem(deviceId, 2, { result: 'callback', callbackAt: new Date().toISOString() })] };
    }
    case '/cti/calls':
      return { callId: 'fuzz-1', ani: '13800000001', agentId: 'agent01', event: 'offered' };
    case '/audit/card-views':
      return {
        deviceId: 'fuzz-desk',
        items: [
          {
            viewId: uuidv7(),
            agentId: 'agent01',
            customerId: 'CUS0000001',
            phoneMasked: '138****0001',
            purpose: 'call',
            callId: 'fuzz-1',
            viewedAt: new Date().toISOString(),
          },
        ],
      };
    case '/desks/health':
      return { intervalSeconds: 60, outboxPending: 2, outboxDead: 0, syncLagSeconds: 12.5, screenPopP95Seconds: 0.018, screenPops: 7 };
    case '/customer-events/batch': {
      const event = (kind: string) => ({
        eventId: uuidv7(),
        deviceId: 'fuzz-desk',
        agentId: 'agent01',
        recordedAt: new Date().toISOString(),
        draft: { customerId: 'CUS0000001', callId: 'fuzz-1', kind, note: '' },
      });
      return { deviceId: 'fuzz-desk', items: [event('complaint'), event('network_issue')] };
    }
    default:
      return undefined;
  }
}

/**
 * Everything a refused request must leave as it was (the login-failure ledger is meant to change), read once per
 * request through a prepared statement: parsing and planning its fourteen subqueries anew each time cost more than
 * twice running them (2.5 ms of CPU a print against 0.7 ms).
 */
const FINGERPRINT_SQL = `SELECT
      (SELECT count(*) FROM outcomes) AS outcomes,
      (SELECT coalesce(max(server_seq), 0) FROM outcomes) AS outcome_seq,
      (SELECT count(*) FROM devices) AS devices,
      (SELECT coalesce(sum(last_applied_client_seq), 0) FROM devices) AS device_seqs,
      (SELECT coalesce(max(change_seq), 0) FROM customers) AS customers_seq,
      (SELECT coalesce(max(change_seq), 0) FROM scores) AS scores_seq,
      (SELECT coalesce(max(change_seq), 0) FROM offers) AS offers_seq,
      (SELECT count(*) FROM refresh_tokens) AS refresh_tokens,
      (SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL OR revoked_at IS NOT NULL) AS refresh_spent,
      (SELECT count(*) FROM cti_calls) AS cti_calls,
      (SELECT count(*) FROM card_view_audit) AS card_views,
      (SELECT count(*) FROM customer_events) AS customer_events,
      (SELECT coalesce(max(version), 0) FROM scoring_bundles) AS scoring_bundle,
      (SELECT count(*) FROM users) AS users`;

async function fingerprint(): Promise<unknown> {
  const [row] = await api.db.query('EXECUTE fuzz_fingerprint');
  return row;
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The card routes (GET /cards/by-phone/:phone, /cards/by-customer/:customerId): their one path parameter is fuzzed too. */
const CARD_ROUTE = /^(\/cards\/[a-z-]+\/):(\w+)$/;

/** The path: a card route's parameter is a real customer's, or any text at all; other routes are asked with their pattern as the path. */
function hostilePath(url: string): fc.Arbitrary<string> {
  const card = CARD_ROUTE.exec(url);
  if (card === null) return fc.constant(url);
  const [, prefix, name] = card as unknown as [string, string, string];
  const anyText = fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' }), fc.constant(`:${name}`));
  return fc
    .oneof({ weight: 1, arbitrary: fc.constant(knownPathValues.get(name)!) }, { weight: 2, arbitrary: anyText })
    .map((value) => `${prefix}${encodeURIComponent(value)}`);
}

/** A card route's query as a desk sends it (so that hostile path parameters reach the handler), or a hostile one. */
function hostileQueryOf(url: string): fc.Arbitrary<string> {
  if (!CARD_ROUTE.test(url)) return hostileQuery;
  const deskQuery = fc
    .constantFrom('call', 'lookup', 'search', 'outbound')
    .map((purpose) => `?${new URLSearchParams({ purpose, viewId: uuidv7(), deviceId: 'fuzz-desk' }).toString()}`);
  return fc.oneof(deskQuery, hostileQuery);
}

function hostileRequest(route: RouteSummary): fc.Arbitrary<InjectOptions> {
  return fc
    .record({
      method: fc.oneof({ weight: 5, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
      path: hostilePath(route.url),
      query: hostileQueryOf(route.url),
      body: hostileBodyText(validBody(route.url)),
      // Weighted towards requests that get past the door, so the handlers' validation is fuzzed too.
      contentType: fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: hostileContentType }),
      authorization: fc.oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: fc.constantFrom(...tokens).map((t) => `Bearer ${t}`) },
        { weight: 1, arbitrary: fc.string().map((s) => `Bearer ${s}`) },
        { weight: 1, arbitrary: fc.string() },
      ),
      ctiKey: fc.oneof(fc.constant(undefined), fc.constant(TEST_CTI_KEY), fc.constant(TEST_CTI_KEY), fc.string()),
      extra: fc.option(fc.tuple(fc.stringMatching(/^x-[a-z]{1,10}$/), fc.string())),
    })
    .map(({ method, path, query, body, contentType, authorization, ctiKey, extra }) => {
      const headers: Record<string, string> = {};
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (authorization !== undefined) headers.authorization = authorization;
      if (ctiKey !== undefined) headers['x-cti-key'] = ctiKey;
      if (extra) headers[extra[0]] = extra[1];
      const bodyAllowed = method !== 'GET' && method !== 'HEAD';
      return {
        method: method as InjectOptions['method'],
        url: `${path}${query}`,
        headers,
        ...(bodyAllowed && body !== undefined ? { payload: body } : {}),
      };
    });
}

describe('every central API route under hostile input', () => {
  it('found the routes to fuzz', () => {
    expect(api.routes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['POST /auth/login', 'POST /outcomes/batch', 'GET /sync/changes']));
  });

  it('never answers with a 5xx, explains every 4xx, and changes nothing when it refuses', async () => {
    const statuses = new Map<string, number>();
    // One print per request: the print after a request is the print before the next.
    let printed = await fingerprint();
    for (const route of api.routes) {
      await fc.assert(
        fc.asyncProperty(hostileRequest(route), async (request) => {
          const response = await api.app.inject(request);
          const before = printed;
          printed = await fingerprint();
          const context = `${request.method} ${request.url} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
          const key = `${route.method} ${route.url} ${response.statusCode}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          expect(response.statusCode, context).toBeLessThan(500);
          if (response.statusCode >= 400) {
            expect(response.statusCode, context).toBeGreaterThanOrEqual(400);
            if (request.method !== 'HEAD') {
              const body = ApiError.safeParse(JSON.parse(response.body));
              expect(body.success, context).toBe(true);
              expect(body.data?.message.length, context).toBeGreaterThan(0);
            }
            expect(printed, context).toEqual(before);
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
    }
    // Some hostile requests must have got through, or the fuzzing only ever hit the front door.
    expect([...statuses.keys()].some((k) => / 2\d\d$/.test(k))).toBe(true);
    console.log(
      [...statuses]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
  }, 900_000); // a guard against a hang only: on a loaded two-core runner the runs take minutes

  it('is still up and serving afterwards', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
