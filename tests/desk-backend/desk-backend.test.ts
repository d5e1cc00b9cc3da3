import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deskContract, type DeskOperation, type DeskOutput, type SyncStatus } from '../../shared/contract/desk-api';
import { CacheUnavailableError } from '../../db/cache/cache-unavailable-error';
import { createDeskBackend } from '../../desk-backend/desk-backend';
import { toDeskFailure } from '../../desk-backend/desk-failure';
import { timed } from '../../desk-backend/handler-timing';
import { writeFileSync } from 'node:fs';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer, makeOffer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const draft = { callId: 'call-9', customerId: 'c-1', phone: '13800000001', offerId: 'o-1', result: 'accepted', channel: 'hotline' };

describe('desk backend', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;

  beforeEach(async () => {
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1));
    mock.put('offer', makeOffer('o-1'));
    h = startBackend({ cachePath: temp.path(), apiUrl: mock.url });
  });
  afterEach(async () => {
    await h.backend.close();
    await mock.close();
  });

  const output = <C extends DeskOperation>(operation: C, value: unknown): DeskOutput<C> => deskContract[operation].output.parse(value) as DeskOutput<C>;

  it.each(['fs/readFile', '__proto__', 'constructor', ''])('refuses the unknown operation %j as bad_request', async (operation) => {
    await expect(h.backend.invoke(operation, {})).resolves.toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'unknown desk operation' },
    });
  });

  it('refuses bad input as bad_request naming the fields', async () => {
    const card = await h.backend.invoke('card/byPhone', { phone: 42, extra: true });
    expect(card).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!card.ok && card.error.message).toMatch(/phone: .*;.*/);
    const record = await h.backend.invoke('outcome/record', { ...draft, result: 'callback' });
    expect(!record.ok && record.error.message).toContain('callbackAt');
    expect(await h.backend.invoke('sync/status', null)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses cards, search, queues, reports, outcome/record and sync/now without a session', async () => {
    for (const [operation, input] of [
      ['card/byPhone', { phone: '13800000001' }],
      ['card/byCustomer', { customerId: 'c-1', purpose: 'search' }],
      ['customer/search', { query: '138' }],
      ['outbound/queue', {}],
      ['reports/retention', { from: '2025-05-01', to: '2025-05-31' }],
      ['reports/outcomes', { from: '2025-05-01', to: '2025-05-31' }],
      ['outcome/record', draft],
      ['sync/now', {}],
    ] as const) {
      await expect(h.backend.invoke(operation, input)).resolves.toEqual({
        ok: false,
        error: { code: 'unauthenticated', message: 'log in first' },
      });
    }
    expect(output('session/current', await h.call('session/current'))).toBeNull();
    expect(output('sync/status', await h.call('sync/status'))).toMatchObject({ online: false, outboxPending: 0 });
  });

  it('maps wrong credentials to unauthenticated and an unreachable API to offline', async () => {
    expect(await h.backend.invoke('session/login', { username: 'a', password: 'wrong' })).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'invalid credentials' },
    });
    mock.faults.setDown(true);
    expect(await h.backend.invoke('session/login', { username: 'a', password: 'secret' })).toMatchObject({
      ok: false,
      error: { code: 'offline' },
    });
  });

  it('logs in, syncs, records through the outbox and logs out, with contract-shaped outputs and events', async () => {
    const session = output('session/login', await h.call('session/login', { username: 'li', password: 'secret' }));
    expect(session).toMatchObject({ agentId: 'agent-li', role: 'agent', displayName: 'li', team: 'T1' });
    expect(h.events).toContainEqual({ type: 'session', session });
    expect(output('session/current', await h.call('session/current'))).toEqual(session);

    const status = output('sync/now', await h.call('sync/now'));
    expect(status).toMatchObject({ online: true, cursor: 2, customersCached: 1 });
    const card = output('card/byPhone', await h.call('card/byPhone', { phone: '+8613800000001' }));
    expect(card.kind).toBe('known');

    const recorded = output('outcome/record', await h.call('outcome/record', draft));
    expect(recorded.outboxPending).toBeGreaterThanOrEqual(0);
    await until(() => mock.committedOutcomeIds().includes(recorded.outcomeId));
    expect(mock.storedOutcome(recorded.outcomeId)).toMatchObject({ agentId: 'agent-li', draft: { note: '' } });
    await until(() => h.events.some((e) => e.type === 'sync' && e.status.outboxPending === 0 && e.status.cursor === 2));

    await h.call('session/logout');
    expect(h.events.at(-1)).toEqual({ type: 'session', session: null });
    expect(output('session/current', await h.call('session/current'))).toBeNull();
  });

  it('emits a call event for each CTI push to the agent', async () => {
    await h.call('session/login', { username: 'li', password: 'secret' });
    const event = { callId: 'call-1', ani: '+8613800000001', agentId: 'agent-li', event: 'offered' as const };
    // Push once the stream is connected (pushCall reports how many sockets got it).
    await until(() => mock.pushCall(event) > 0);
    await until(() => h.events.some((e) => e.type === 'call'));
    const call = h.events.find((e) => e.type === 'call');
    expect(call).toMatchObject({ type: 'call', event });
  });

  it('keeps working with the central API down: cards and outcomes from the cache, drained on return', async () => {
    await h.call('session/login', { username: 'li', password: 'secret' });
    await h.call('sync/now');
    mock.faults.setDown(true);

    const card = await h.call<{ kind: string }>('card/byPhone', { phone: '13800000001' });
    expect(card.kind).toBe('known');
    const recorded = await h.call<{ outcomeId: string; outboxPending: number }>('outcome/record', draft);
    expect(recorded.outboxPending).toBe(1);
    const offline = await h.call<SyncStatus>('sync/now');
    expect(offline).toMatchObject({ online: false, outboxPending: 1 });

    mock.faults.setDown(false);
    await until(() => mock.committedOutcomeIds().includes(recorded.outcomeId));
    await until(() => h.events.some((e) => e.type === 'sync' && e.status.online && e.status.outboxPending === 0));
  });

  it('answers cache_unavailable after close', async () => {
    await h.backend.close();
    expect(await h.backend.invoke('sync/status', {})).toMatchObject({ ok: false, error: { code: 'cache_unavailable' } });
  });

  it('throws CacheUnavailableError at creation for a foreign file', () => {
    const path = temp.path();
    writeFileSync(path, 'not a database at all, just some bytes'.repeat(100));
    expect(() => createDeskBackend({ cachePath: path, apiUrl: mock.url })).toThrow(CacheUnavailableError);
  });
});

describe('desk backend helpers', () => {
  it('warns about slow handlers with the operation name and duration only', async () => {
    const warnings: string[] = [];
    await timed(
      'card/byPhone',
      (m) => warnings.push(m),
      () => new Promise((resolve) => setTimeout(resolve, 60)),
    );
    await timed(
      'card/byPhone',
      (m) => warnings.push(m),
      async () => undefined,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^slow desk handler card\/byPhone: \d+\.\d ms$/);
  });

  it('hides unexpected errors behind a generic internal failure', () => {
    const failure = toDeskFailure(new TypeError("Cannot read properties of undefined (reading 'phone')"));
    expect(failure).toEqual({ code: 'internal', message: 'internal error in the desk backend' });
  });
});
