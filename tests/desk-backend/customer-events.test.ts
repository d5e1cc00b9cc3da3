// Re-scoring on the desk during a call: 'customer/logEvent' stores the event with its upload,
// overlays it on the card (exactly once, through pending → acked → pulled), re-scores with the
// synced bundle, and uploads it through failures exactly once.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import type { CustomerEventKind } from '../../shared/contract/customer-events';
import type { CustomerCard, SyncStatus } from '../../shared/contract/desk-api';
import type { Customer } from '../../shared/contract/entities';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { buildDemoScoring, calmCustomerIndex, type DemoScoring } from '../db/support/demo-scoring';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const NOW = new Date('2026-11-20T08:00:00Z');
const temp = useTempDir();

describe('customer events logged during a call', () => {
  let scoring: DemoScoring;
  let calm: Customer;
  let mock: MockCentralApi;
  let h: BackendHarness | null = null;

  beforeAll(() => {
    scoring = buildDemoScoring(NOW);
    // Calm, and sensitive enough that one complaint and two complaints show different risks, so
    // counting an event twice could not go unnoticed.
    calm =
      scoring.book[
        calmCustomerIndex(scoring, (customer, score) => {
          const risk = (n: number) => rescoreCustomer(withCustomerEvents(customer, Array(n).fill('complaint')), scoring.bundle, NOW).churnProbability;
          return risk(2) > risk(1) + 1e-4 && risk(1) > score.churnProbability + 1e-4;
        })
      ]!;
  });
  afterEach(async () => {
    await h?.backend.close();
    h = null;
    await mock.close();
  });

  /** The churn probability the desk must show with these events counted once. */
  const expectedRisk = (events: CustomerEventKind[]) => rescoreCustomer(withCustomerEvents(calm, events), scoring.bundle, NOW).churnProbability;

  async function start(options: { bundle?: boolean; pullIntervalMs?: number } = {}) {
    mock = await startMockCentralApi({ password: 'secret', rescore: (customer) => rescoreCustomer(customer, scoring.bundle, NOW) });
    mock.put('customer', calm);
    mock.put('score', scoring.scores[scoring.book.indexOf(calm)]!);
    if (options.bundle ?? true) mock.setScoringBundle(scoring.bundle);
    h = startBackend({ cachePath: temp.path(), apiUrl: mock.url, now: () => NOW, pullIntervalMs: options.pullIntervalMs ?? 60_000 });
    await h.call('session/login', { username: 'agent01', password: 'secret' });
    await h.call('sync/now');
    return h;
  }
  const card = (harness: BackendHarness) => harness.call<CustomerCard>('card/byCustomer', { customerId: calm.id, callId: 'call-1', purpose: 'refresh' });
  const logEvent = (harness: BackendHarness, kind: CustomerEventKind, note = '') =>
    harness.call<CustomerCard>('customer/logEvent', { customerId: calm.id, callId: 'call-1', kind, note });
  const status = (harness: BackendHarness) => harness.call<SyncStatus>('sync/status');
  /** The status the engine published last (it publishes after every upload it makes). */
  const lastPublished = (harness: BackendHarness): SyncStatus | undefined => harness.events.flatMap((e) => (e.type === 'sync' ? [e.status] : [])).at(-1);

  it('raises the risk of a calm customer at once and counts the complaint exactly once until and after it syncs', async () => {
    const desk = await start();
    const before = (await card(desk)).assessment.churnProbability;
    expect(before).toBeCloseTo(scoring.scores[scoring.book.indexOf(calm)]!.churnProbability, 10);
    const once = expectedRisk(['complaint']);
    expect(expectedRisk(['complaint', 'complaint'])).toBeGreaterThan(once);
    expect(once).toBeGreaterThan(before!);

    mock.faults.setDown(true);
    const answered = await logEvent(desk, 'complaint');
    expect(answered.customer?.id).toBe(calm.id);
    expect(answered.assessment.churnProbability).toBeCloseTo(once, 10);
    expect((await card(desk)).assessment.churnProbability).toBeCloseTo(once, 10); // pending
    expect(await status(desk)).toMatchObject({ outboxPending: 1, outboxDead: 0 });

    mock.faults.setDown(false);
    await until(() => mock.storedEvents().length === 1, 10_000, 'event uploaded');
    await until(() => lastPublished(desk)?.outboxPending === 0, 10_000, 'event acknowledged');
    const cursorBeforePull = (await status(desk)).cursor;
    expect(cursorBeforePull).toBeLessThan(mock.headSeq());
    expect((await card(desk)).assessment.churnProbability).toBeCloseTo(once, 10); // acked, not pulled

    const pulled = await h!.call<SyncStatus>('sync/now');
    expect(pulled.cursor).toBe(mock.headSeq());
    expect((await card(desk)).assessment.churnProbability).toBeCloseTo(once, 10); // in the synced rows now
    expect(mock.storedEvents().map((e) => e.draft.kind)).toEqual(['complaint']);
  });

  it('lets the stage and its reasons react: complaints move a calm customer into decline', async () => {
    const desk = await start();
    let answered: CustomerCard | null = null;
    for (const kind of ['complaint', 'complaint', 'complaint', 'network_issue'] as const) answered = await logEvent(desk, kind);
    expect(answered!.assessment.stage).toBe('D');
    expect(answered!.assessment.stageReasons).toContainEqual({ code: 'complaints_30d', params: { count: calm.complaints30d + 3 } });
    expect(answered!.assessment.churnProbability).toBeCloseTo(expectedRisk(['complaint', 'complaint', 'complaint', 'network_issue']), 10);
  });

  it('keeps the synced score when no bundle has been published', async () => {
    const desk = await start({ bundle: false });
    const before = await card(desk);
    const after = await logEvent(desk, 'complaint');
    expect(after.assessment).toEqual(before.assessment);
    await until(() => mock.storedEvents().length === 1, 10_000, 'event uploaded all the same');
  });

  it('asks with If-None-Match and keeps its bundle on a 304', async () => {
    const desk = await start();
    const notModifiedBefore = mock.stats.bundleNotModified;
    await desk.call('sync/now');
    expect(mock.stats.bundleNotModified).toBe(notModifiedBefore + 1);
    expect((await logEvent(desk, 'complaint')).assessment.churnProbability).toBeCloseTo(expectedRisk(['complaint']), 10);
  });

  it('refuses an invalid bundle with a warning and goes on re-scoring with the one it had', async () => {
    const desk = await start();
    mock.setScoringBundle({ ...scoring.bundle, version: 2, calibration: { ...scoring.bundle.calibration, recencyCuts: [1, 2] } });
    const afterBadBundle = await desk.call<SyncStatus>('sync/now');
    expect(desk.warnings.some((w) => w.includes('scoring bundle refused, keeping version 1'))).toBe(true);
    expect(afterBadBundle.lastError).toBeNull();
    expect((await logEvent(desk, 'complaint')).assessment.churnProbability).toBeCloseTo(expectedRisk(['complaint']), 10);
  });

  it('uploads every event exactly once through 500s and responses lost after the commit', async () => {
    const desk = await start();
    mock.faults.dropEventResponsesAfterCommit(1);
    mock.faults.failNext(2);
    await logEvent(desk, 'complaint');
    await logEvent(desk, 'network_issue');
    await logEvent(desk, 'complaint');
    await until(() => lastPublished(desk)?.outboxPending === 0 && mock.storedEvents().length === 3, 15_000, 'all uploaded');
    expect(new Set(mock.storedEvents().map((e) => e.eventId)).size).toBe(3);
    expect(mock.stats.eventDuplicates).toBeGreaterThan(0);
    await desk.call('sync/now');
    expect((await card(desk)).assessment.churnProbability).toBeCloseTo(expectedRisk(['complaint', 'network_issue', 'complaint']), 10);
  });

  it('parks a rejected event as dead and stops overlaying it', async () => {
    const desk = await start();
    const before = (await card(desk)).assessment;
    await logEvent(desk, 'complaint', 'REJECT me');
    await until(() => lastPublished(desk)?.outboxDead === 1, 10_000, 'event dead');
    expect(await status(desk)).toMatchObject({ outboxPending: 0, outboxDead: 1 });
    expect((await card(desk)).assessment).toEqual(before);
  });

  it('answers not_found for a customer not in the cache and unauthenticated without a session, writing nothing', async () => {
    const desk = await start();
    const pendingBefore = (await status(desk)).outboxPending;
    await expect(desk.backend.invoke('customer/logEvent', { customerId: 'nobody', kind: 'complaint' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await expect(desk.backend.invoke('customer/logEvent', { customerId: calm.id, kind: 'praise' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    await desk.call('session/logout');
    await expect(desk.backend.invoke('customer/logEvent', { customerId: calm.id, kind: 'complaint' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect((await status(desk)).outboxPending).toBe(pendingBefore);
  });
});
