// The desk's health report: the right figures (outbox, sync lag, screen-pop p95) reach the central
// API once an interval, and a report that fails is dropped, never piled up or in the way of outcomes.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract/desk-api';
import type { DeskHealthReport } from '../../shared/contract/desk-health';
import { createScreenPopTimes, startDeskHealthReports, type DeskHealthReporter } from '../../desk-backend/desk-health-report';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer, makeOffer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const T0 = new Date('2026-12-07T02:00:00.000Z');
const HOUR_MS = 3_600_000; // the timer never fires during a unit test: report() is called by hand
const status = (overrides: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  cursor: 7,
  lastSyncAt: T0.toISOString(),
  outboxPending: 0,
  outboxDead: 0,
  oldestPendingAt: null,
  customersCached: 1,
  lastError: null,
  ...overrides,
});

describe('screen-pop timings', () => {
  it('keep only the card look-ups and give the nearest-rank p95 of one interval', () => {
    const times = createScreenPopTimes();
    for (let ms = 20; ms >= 1; ms--) times.observe('card/byPhone', ms);
    times.observe('sync/now', 5000);
    expect(times.takeInterval()).toEqual({ p95Seconds: 0.019, count: 20 });
    expect(times.takeInterval()).toEqual({ p95Seconds: null, count: 0 });
  });
});

describe('the health reporter', () => {
  const reporters: DeskHealthReporter[] = [];
  afterEach(() => reporters.splice(0).forEach((r) => r.stop()));

  it('reports the outbox, the seconds since the last download and the screen pops of the interval', async () => {
    const sent: DeskHealthReport[] = [];
    const screenPops = createScreenPopTimes();
    const reporter = startDeskHealthReports({
      session: () => ({ send: async (report) => void sent.push(report), syncStatus: () => status({ outboxPending: 4, outboxDead: 1 }) }),
      screenPops,
      now: () => new Date(T0.getTime() + 95_500),
      intervalMs: 60_000,
      warn: () => undefined,
    });
    reporters.push(reporter);
    screenPops.observe('card/byPhone', 12);
    screenPops.observe('card/byPhone', 30);
    await reporter.report();
    await reporter.report();
    const report = { intervalSeconds: 60, outboxPending: 4, outboxDead: 1, syncLagSeconds: 95.5 };
    expect(sent).toEqual([
      { ...report, screenPopP95Seconds: 0.03, screenPops: 2 },
      { ...report, screenPopP95Seconds: null, screenPops: 0 },
    ]);
  });

  it('says null for the lag before the first download, and reports nothing without a session', async () => {
    const sent: DeskHealthReport[] = [];
    let signedIn = false;
    const screenPops = createScreenPopTimes();
    const reporter = startDeskHealthReports({
      session: () => (signedIn ? { send: async (report) => void sent.push(report), syncStatus: () => status({ lastSyncAt: null }) } : null),
      screenPops,
      now: () => T0,
      intervalMs: HOUR_MS,
      warn: () => undefined,
    });
    reporters.push(reporter);
    screenPops.observe('card/byPhone', 12); // the previous session's look-up
    await reporter.report();
    signedIn = true;
    await reporter.report();
    expect(sent).toEqual([{ intervalSeconds: 3600, outboxPending: 0, outboxDead: 0, syncLagSeconds: null, screenPopP95Seconds: null, screenPops: 0 }]);
  });

  it('drops a failed report and sends one at a time: a hanging or failing API never piles reports up', async () => {
    const attempts: DeskHealthReport[] = [];
    const warnings: string[] = [];
    const reporterAnswering = (answer: () => Promise<void>) => {
      const reporter = startDeskHealthReports({
        session: () => ({ send: (report) => (attempts.push(report), answer()), syncStatus: () => status() }),
        screenPops: createScreenPopTimes(),
        now: () => T0,
        intervalMs: HOUR_MS,
        warn: (message) => warnings.push(message),
      });
      reporters.push(reporter);
      return reporter;
    };
    const hanging = reporterAnswering(() => new Promise(() => undefined));
    void hanging.report();
    await hanging.report(); // the first is still on its way: this interval's is dropped
    expect(attempts).toHaveLength(1);

    const failing = reporterAnswering(() => Promise.reject(new Error('central API unreachable')));
    await failing.report();
    await failing.report();
    expect(attempts).toHaveLength(3); // one per interval, none resent
    expect(warnings).toEqual(['desk health report not sent (central API unreachable); the next interval reports afresh']);
  });
});

describe('a desk reporting its health', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;
  afterEach(async () => {
    await h?.backend.close();
    await mock?.close();
  });

  it('sends its outbox, its lag since the last download and its screen pops', async () => {
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1));
    mock.put('offer', makeOffer('o-1'));
    const reports: DeskHealthReport[] = [];
    // The mock API has no /desks/health: the desk's requests to it are answered here.
    const fetchWithHealth: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/desks/health')) {
        reports.push(JSON.parse(String(init?.body)) as DeskHealthReport);
        return new Response(null, { status: 204 });
      }
      return fetch(input, init);
    };
    const clock = { now: T0 };
    h = startBackend({ cachePath: temp.path(), apiUrl: mock.url, fetch: fetchWithHealth, now: () => clock.now, healthReportIntervalMs: 20 });
    await h.loginAndSync('li');
    mock.faults.setDown(true);
    expect(await h.call<SyncStatus>('sync/now')).toMatchObject({ online: false, lastSyncAt: T0.toISOString() });
    await h.call('outcome/record', { callId: 'call-9', customerId: 'c-1', phone: '13800000001', offerId: 'o-1', result: 'accepted', channel: 'hotline' });
    clock.now = new Date(T0.getTime() + 90_000);
    await h.call('card/byPhone', { phone: '13800000001' });

    await until(() => reports.some((r) => r.screenPops === 1), 10_000, 'a report with the screen pop');
    const report = reports.find((r) => r.screenPops === 1)!;
    expect(report).toEqual({
      intervalSeconds: 1,
      outboxPending: 1,
      outboxDead: 0,
      syncLagSeconds: 90,
      screenPopP95Seconds: expect.any(Number),
      screenPops: 1,
    });
    expect(report.screenPopP95Seconds).toBeGreaterThan(0);
  });

  it('keeps uploading outcomes while its reports fail, sending one report at a time and warning once', async () => {
    mock = await startMockCentralApi(); // answers /desks/health 404
    mock.put('customer', makeCustomer(1));
    mock.put('offer', makeOffer('o-1'));
    let inFlight = 0;
    let mostInFlight = 0;
    let attempts = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      if (!String(input).endsWith('/desks/health')) return fetch(input, init);
      attempts += 1;
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    h = startBackend({ cachePath: temp.path(), apiUrl: mock.url, fetch: countingFetch, healthReportIntervalMs: 20 });
    await h.loginAndSync('li');
    const recorded = await h.call<{ outcomeId: string }>('outcome/record', {
      callId: 'call-9',
      customerId: 'c-1',
      phone: '13800000001',
      offerId: 'o-1',
      result: 'accepted',
      channel: 'hotline',
    });
    await until(() => mock.committedOutcomeIds().includes(recorded.outcomeId), 10_000, 'the outcome uploaded');
    await until(() => attempts >= 3, 10_000, 'three report attempts');
    expect(mostInFlight).toBe(1);
    expect(h.warnings.filter((w) => w.startsWith('desk health report not sent'))).toHaveLength(1);
  });
});
