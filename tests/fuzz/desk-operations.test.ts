// Property: whatever the renderer side sends to any desk operation (a compromised renderer, a bug,
// a page that got at the browser-mode host), the desk answers with a DeskResult: a value, or a
// bad_request/unauthenticated failure with a message. Never a throw, never `internal`, and a
// refused request leaves the cache as it was. Operations come from the contract, so a new operation
// is fuzzed without anyone remembering to add it here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeskBackend, type DeskBackend } from '../../desk-backend/desk-backend';
import { createUserDesks } from '../../web-host/user-desks';
import { createWebHost } from '../../web-host/web-host';
import { DESK_OPERATIONS, DeskFailure, type DeskOperation, type DeskResult } from '../../shared/contract/desk-api';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { startTestApi } from '../server/support/test-api';
import { useCheapDemoPasswords } from '../support/cheap-passwords';
import { injectFetch } from '../support/inject-fetch';
import { FUZZ_RUNS, hostileBodyText, hostileContentType, hostileValue } from './support/bad-input';

const LOGIN = { username: 'agent01', password: DEMO_PASSWORD };

/** A valid input per operation, the seed of the "almost right" inputs. */
const VALID_INPUT: Record<DeskOperation, unknown> = {
  'session/login': LOGIN,
  'session/logout': {},
  'session/current': {},
  'session/signInOptions': {},
  'session/companySignIn': {},
  'card/byPhone': { phone: '13800000001', callId: 'c-1', purpose: 'call' },
  'card/byCustomer': { customerId: 'CUS0000001', callId: null, purpose: 'search' },
  'customer/search': { query: '138' },
  'customer/revealIdNumber': { customerId: 'CUS0000001', idCardChecked: true },
  'outbound/queue': {},
  'reports/retention': { from: '2026-10-01', to: '2026-10-31' },
  'reports/outcomes': { from: '2026-10-01', to: '2026-10-31', team: 'T1' },
  'reports/models': { driftThreshold: 0.25 },
  'outcome/record': {
    callId: 'c-1',
    customerId: 'CUS0000001',
    phone: '13800000001',
    offerId: 'OFF-D-RETENTION-DISCOUNT',
    result: 'callback',
    note: 'n',
    channel: 'hotline',
    callbackAt: '2026-11-02T10:00:00Z',
  },
  'customer/logEvent': { customerId: 'CUS0000001', callId: 'c-1', kind: 'complaint', note: 'n' },
  'interaction/list': {},
  'interaction/open': {
    interactionId: 'out-1',
    request: { by: 'customer', customerId: 'CUS0000001', callId: null, source: 'outbound' },
    card: {
      kind: 'prospect',
      phoneMasked: '138****0001',
      customer: null,
      assessment: {
        modelVersion: 'm',
        stage: 'prospect',
        stageReasons: [],
        valueTier: null,
        clv: null,
        arpu3m: null,
        rfm: null,
        personalKeyCustomer: false,
        churnProbability: null,
        warningLevel: 'none',
        topReasons: [],
      },
      segment: 'prospect',
      decision: { kind: 'none', reasons: [] },
      offers: [],
      suppressed: [],
      recentOutcomes: [],
    },
  },
  'interaction/saveDraft': {
    interactionId: 'out-1',
    draft: { result: 'declined', note: 'n', callbackAt: '', declineReason: 'price', notPresentedReason: null, chosenOfferId: null },
  },
  'interaction/endCall': { interactionId: 'out-1' },
  'interaction/discard': { interactionId: 'out-1', confirmed: true, reason: 'r' },
  'sync/status': {},
  'sync/now': {},
};

const ACCEPTABLE_FAILURES = ['bad_request', 'unauthenticated'];
/** Refusals that are the right answer on some operations: an id the cache lacks, an agent asking for reports. */
const OPERATION_FAILURES: Partial<Record<DeskOperation, string[]>> = {
  'card/byCustomer': ['not_found'],
  'customer/logEvent': ['not_found'],
  // An interaction saved or discarded meanwhile (or never opened) is not there to change.
  'interaction/saveDraft': ['not_found'],
  'interaction/endCall': ['not_found'],
  'interaction/discard': ['not_found'],
  'reports/retention': ['forbidden'],
  'reports/outcomes': ['forbidden'],
  'reports/models': ['forbidden'],
  // Only a store desk reveals ID numbers, and only for a customer it holds unmasked.
  'customer/revealIdNumber': ['forbidden', 'not_found'],
};
// Own keys only: a fuzzed operation named "valueOf" must not find Object.prototype's.
const acceptableFailures = (operation: string) => [
  ...ACCEPTABLE_FAILURES,
  ...(Object.hasOwn(OPERATION_FAILURES, operation) ? (OPERATION_FAILURES[operation as DeskOperation] ?? []) : []),
];

let api: CentralApi;
let backend: DeskBackend;
let cacheDir: string;
const cachePath = () => path.join(cacheDir, 'desk-cache.sqlite');

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 20, loginRateLimit: { maxFailuresPerUsername: 1e9, maxFailuresPerIp: 1e9 } });
  // Every fuzzed login that gets past validation checks a password: at a cheap stored cost (tests/support/cheap-passwords.ts).
  await useCheapDemoPasswords(api.db);
  cacheDir = mkdtempSync(path.join(tmpdir(), 'clm-fuzz-desk-'));
  backend = createDeskBackend({
    cachePath: cachePath(),
    apiUrl: 'http://127.0.0.1:1', // only the CTI WebSocket uses it: it fails quietly, HTTP goes through `fetch`
    fetch: injectFetch(() => api.app),
    pullIntervalMs: 1_000_000_000,
    uploadIntervalMs: 1_000_000_000,
    logger: { warn: () => undefined },
  });
});
afterAll(async () => {
  reader?.close();
  await backend?.close();
  await api?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Everything in the cache a refused request must leave alone. */
const FINGERPRINT_COUNTS = {
  outcomes: 'outcomes',
  outbox: 'outbox',
  dead: 'outbox_dead',
  customers: 'customers',
  audit: 'audit_outbox',
  events: 'customer_events',
  eventOutbox: 'event_outbox',
  reports: 'report_cache',
  outbound: 'outbound_cache',
  interactions: 'open_interactions',
  discards: 'interaction_discards',
};

/**
 * Reads the fingerprint through one read-only connection kept open (the backend never replaces its
 * cache file): opening one per check parsed the schema every time, a third of this file's CPU.
 */
function fingerprintReader() {
  const db = new Database(cachePath(), { readonly: true });
  const counts = Object.entries(FINGERPRINT_COUNTS).map(([name, table]) => [name, db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck()] as const);
  const state = db.prepare(`SELECT key, value FROM sync_state WHERE key IN ('cursor', 'device_id', 'next_client_seq') ORDER BY key`);
  return {
    read: (): unknown => ({ ...Object.fromEntries(counts.map(([name, count]) => [name, count.get()])), state: state.all() }),
    close: () => db.close(),
  };
}
let reader: ReturnType<typeof fingerprintReader> | undefined;

function cacheFingerprint(): unknown {
  reader ??= fingerprintReader();
  return reader.read();
}

/** After an accepted call, let its background upload finish so it cannot land inside the next check. */
async function settle(): Promise<void> {
  await backend.invoke('sync/now', {});
}

function expectDeskAnswer(operation: DeskOperation, result: DeskResult<unknown>, context: string): void {
  if (result.ok) return;
  expect(DeskFailure.safeParse(result.error).success, context).toBe(true);
  expect(acceptableFailures(operation), `${context}: ${result.error.code} ${result.error.message}`).toContain(result.error.code);
  expect(result.error.message.length, context).toBeGreaterThan(0);
}

describe.each([
  ['logged in', true],
  ['logged out', false],
])('every desk operation, %s, under hostile input', (_name, loggedIn) => {
  beforeEach(async () => {
    await backend.invoke('session/logout', {});
    if (loggedIn) expect((await backend.invoke('session/login', LOGIN)).ok).toBe(true);
    await settle();
  });

  it.each(DESK_OPERATIONS)(
    '%s answers a DeskResult and refuses without changing the cache',
    async (operation) => {
      await fc.assert(
        fc.asyncProperty(hostileValue(VALID_INPUT[operation]), async (input) => {
          const before = cacheFingerprint();
          const result = await backend.invoke(operation, input);
          const context = `${operation} ${JSON.stringify(input)?.slice(0, 200)}`;
          expectDeskAnswer(operation, result, context);
          if (result.ok) await settle();
          else expect(cacheFingerprint(), context).toEqual(before);
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
    600_000, // a guard against a hang only, far above a loaded runner's time
  );

  it('refuses operations that are not in the contract', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'card/byPhone/', 'session')),
        fc.anything(),
        async (operation, input) => {
          fc.pre(!DESK_OPERATIONS.includes(operation as DeskOperation));
          const result = await backend.invoke(operation, input);
          expect(result).toEqual({ ok: false, error: { code: 'bad_request', message: 'unknown desk operation' } });
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('the browser-mode host /api/invoke/<operation> under hostile requests', () => {
  let host: FastifyInstance;
  let base: string;
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'clm-fuzz-renderer-'));

  beforeAll(async () => {
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CLM Desk</title>');
    // Every login lands on the one backend under test, which outlives the host (closed in afterAll above).
    const desks = createUserDesks({ maxDesks: 100, opener: () => ({ backend: { invoke: backend.invoke, onEvent: backend.onEvent, close: async () => {} } }) });
    host = await createWebHost({ desks, rendererDir });
    base = await host.listen({ host: '127.0.0.1', port: 0 });
    const login = await fetch(`${base}/api/invoke/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(LOGIN),
    });
    expect(login.status).toBe(200);
    await settle();
  });
  afterAll(async () => {
    await host?.close();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  const operationName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DESK_OPERATIONS) }, { weight: 1, arbitrary: fc.string().map(encodeURIComponent) });

  it('answers every request with a 2xx or 4xx DeskResult, and refuses without changing the cache', async () => {
    await fc.assert(
      fc.asyncProperty(
        operationName,
        operationName.chain((c) => hostileBodyText(Object.hasOwn(VALID_INPUT, c) ? VALID_INPUT[c as DeskOperation] : undefined)),
        fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: hostileContentType }),
        fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null', base) }),
        async (operation, body, contentType, origin) => {
          const before = cacheFingerprint();
          const headers: Record<string, string> = {};
          if (contentType !== undefined) headers['content-type'] = contentType;
          if (origin !== undefined) headers.origin = origin;
          const response = await fetch(`${base}/api/invoke/${operation}`, { method: 'POST', headers, body });
          const text = await response.text();
          const context = `${operation} [${contentType}] origin=${origin} ${body?.slice(0, 200)} -> ${response.status} ${text.slice(0, 200)}`;
          expect(response.status, context).toBeLessThan(500);
          const result = JSON.parse(text) as DeskResult<unknown>;
          if (result.ok) {
            expect(response.status, context).toBe(200);
            await settle();
            return;
          }
          expect(response.status, context).toBeGreaterThanOrEqual(400);
          const crossOrigin = origin !== undefined && origin !== base;
          expect(crossOrigin ? ['forbidden'] : acceptableFailures(decodeURIComponent(operation)), context).toContain(result.error.code);
          expect(result.error.message.length, context).toBeGreaterThan(0);
          expect(cacheFingerprint(), context).toEqual(before);
        },
      ),
      { numRuns: FUZZ_RUNS * 3 },
    );
  }, 900_000);
});
