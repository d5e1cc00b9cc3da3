// Benchmark 1: the screen pop. A CTI 'offered' event for a random book number goes to the central
// API (POST /cti/calls); the desk gets it over its CTI WebSocket and pushes it to the renderer
// in Chromium, which looks the caller up in the million-row cache and paints the card. The
// figure is the renderer's own measure 'clm:screen-pop' (event received → card painted,
// renderer/perf/screen-pop.ts); the baseline is SQLite alone (keyed) looking up the same numbers in
// the same encrypted cache.
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { SqlDriverName } from '../server/db/sql-client';
import { openBareCache } from './support/bench-cache';
import { sampleIndexes, phoneOf } from './support/book';
import { BENCH_AGENT, postCtiEvent, startCentralApiProcess } from './support/central-api-process';
import { forkChild } from './support/child-rpc';
import type { DeskCacheFixture } from './support/desk-cache-fixture';
import { withDeskCacheFixture } from './support/desk-fixture-scope';
import type { DeskWebChildConfig } from './support/desk-web-child';
import { buildRenderer } from './support/renderer-build';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { choosePostgresOrPglite } from './support/server-database';
import { logInToDesk } from './support/desk-login';
import { elapsedMs, summarize } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { RAW_LOOKUP_SQL } from './support/raw-lookup';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/debian-chromium';

const ID = 'screen-pop';
const TITLE = 'Screen pop';
const CALLS = 200;
const WARM_UP_CALLS = 10;
/** Pause between calls so each pop starts from an idle desk, as real calls do. */
const GAP_MS = 100;
const PAINT_TIMEOUT_MS = 10_000;
const GOAL_P95_MS = 50;

/** What the page reports for each 'clm:screen-pop' measure, read from the painted DOM. */
interface PaintReport {
  callId: string;
  /** Epoch ms of the 'clm:card-painted' mark (performance.timeOrigin-based). */
  paintedAt: number;
  phone: string;
  stage: string;
  tier: string;
  risk: string;
  offer: boolean;
  /** The card's decision: let_go and none show no offer, by design (a care action, or nothing eligible). */
  decision: string;
}

const NO_OFFER_DECISIONS: ReadonlySet<string> = new Set(['let_go', 'none']);

// Plain JS (the bench tsconfig has no DOM types). The observer fires after the measure exists,
// i.e. after the paint, so reporting cannot delay what is measured.
const PAINT_OBSERVER = `new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name !== 'clm:screen-pop') continue;
    const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent?.trim() ?? '';
    window.__clmBenchPainted({
      callId: entry.detail?.callId ?? '',
      paintedAt: performance.timeOrigin + entry.startTime + entry.duration,
      phone: text('card-phone'), stage: text('card-stage'), tier: text('card-tier'), risk: text('card-risk'),
      offer: document.querySelector('[data-testid="offer-best"]') !== null,
      decision: document.querySelector('[data-testid="decision"]')?.getAttribute('data-kind') ?? '',
    });
  }
}).observe({ type: 'measure' });`;

// Floors inside the page, for the analysis: how long until the next painted frame from a random
// moment (what markCardCommitted waits for), and the card/byPhone round trip over the web host.
const NEXT_FRAME_MS = `(async () => {
  const samples = [];
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 20));
    const t = performance.now();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    samples.push(performance.now() - t);
  }
  return samples;
})()`;
const invokeRoundTripMs = (phones: readonly string[]) => `(async () => {
  const samples = [];
  for (const phone of ${JSON.stringify(phones)}) {
    const t = performance.now();
    const response = await fetch('/api/invoke/card/byPhone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, callId: null }) });
    await response.json();
    samples.push(performance.now() - t);
  }
  return samples;
})()`;

const READ_MEASURES = `performance.getEntriesByName('clm:screen-pop').map((e) => ({ callId: e.detail?.callId ?? '', duration: e.duration }))`;

/** Keeps every request's timing (the default buffer holds 250), so each call's card request can be found. */
const KEEP_RESOURCE_TIMINGS = 'performance.setResourceTimingBufferSize(100000);';

/**
 * Whether each screen pop waited for a card/byPhone request (the renderer asks only when the call
 * event came without the card) and, if so, how long that request took (web host + desk backend).
 */
const READ_CARD_REQUESTS = `(() => {
  const requests = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/invoke/card/byPhone'));
  return performance.getEntriesByName('clm:screen-pop').map((m) => {
    const request = requests.find((r) => r.startTime >= m.startTime && r.startTime < m.startTime + m.duration);
    return { callId: m.detail?.callId ?? '', requestMs: request === undefined ? null : request.responseEnd - request.startTime };
  });
})()`;

/** Resolves when the page reports the paint of `callId`; one waiter at a time. */
function paintWaiter(page: Page) {
  const waiting = new Map<string, (report: PaintReport) => void>();
  const ready = page.exposeFunction('__clmBenchPainted', (report: PaintReport) => waiting.get(report.callId)?.(report));
  return {
    ready,
    waitFor(callId: string): Promise<PaintReport | null> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(callId);
          resolve(null);
        }, PAINT_TIMEOUT_MS);
        waiting.set(callId, (report) => {
          clearTimeout(timer);
          waiting.delete(callId);
          resolve(report);
        });
      });
    },
  };
}

/** CLM_BENCH_DESK_CPU_PROF_DIR=<dir>: the desk host writes a V8 CPU profile there when it stops (where its time goes during the pops). */
function deskProfileArgs(): string[] {
  const dir = process.env.CLM_BENCH_DESK_CPU_PROF_DIR;
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Raw point lookups of the same numbers on the same encrypted file (SQLite keyed, nothing else), each timed, in ms. */
function rawLookupMs(cachePath: string, phones: readonly string[]): number[] {
  const db = openBareCache(cachePath, { readonly: true });
  try {
    const byPhone = db.prepare<[string], string>(RAW_LOOKUP_SQL).pluck();
    for (const phone of phones.slice(0, 20)) byPhone.get(phone); // prepare/JIT warm-up, like the desk's warm-up calls
    return phones.map((phone) => {
      const started = performance.now();
      if (byPhone.get(phone) === undefined) throw new Error('a book number is missing from the cache');
      return elapsedMs(started);
    });
  } finally {
    db.close();
  }
}

export async function runScreenPopBench(options: { fixture?: DeskCacheFixture; driver?: SqlDriverName } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withDeskCacheFixture(options.fixture, async (fixture) => {
    const scratch = createScratchDir('screen-pop');
    const choice = await choosePostgresOrPglite();
    const driver = options.driver ?? choice.driver;
    const cleanups: (() => Promise<void>)[] = [async () => scratch.remove()];
    try {
      progress(ID, 'building the renderer');
      const rendererDir = scratch.file('renderer');
      await buildRenderer(rendererDir);
      // Users and offers only: its change seqs stay below the fixture's cursor, so the desk pulls nothing.
      const api = await startCentralApiProcess({ driver, choice, customers: 0 });
      cleanups.unshift(() => api.stop());
      const desk = await forkChild<{ warnings(arg: undefined): Promise<string[]> }, { url: string }>(
        path.join(import.meta.dirname, 'support/desk-web-child.ts'),
        { cachePath: fixture.path, apiUrl: api.url, rendererDir } satisfies DeskWebChildConfig,
        { execArgv: deskProfileArgs() },
      );
      cleanups.unshift(() => desk.stop());
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
      cleanups.unshift(() => browser.close());
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const painted = paintWaiter(page);
      await painted.ready;
      await page.addInitScript({ content: KEEP_RESOURCE_TIMINGS + PAINT_OBSERVER });
      await page.goto(desk.info.url);
      await logInToDesk(page, BENCH_AGENT.username, BENCH_AGENT.password);
      progress(ID, `desk logged in (central API on ${api.driver}); ${WARM_UP_CALLS} warm-up + ${CALLS} calls`);

      const indexes = sampleIndexes(WARM_UP_CALLS + CALLS, fixture.rows, 0x5c9);
      const calls: { callId: string; phone: string; postedAt: number; report: PaintReport | null }[] = [];
      for (const [n, index] of indexes.entries()) {
        const phone = phoneOf(index);
        const callId = `bench-pop-${Date.now()}-${n}`;
        const report = painted.waitFor(callId);
        const postedAt = performance.timeOrigin + performance.now();
        await postCtiEvent(api.url, { callId, ani: phone, agentId: BENCH_AGENT.username, event: 'offered' });
        calls.push({ callId, phone, postedAt, report: await report });
        await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      }

      // The figures come from the renderer's own measures, as the desk records them.
      const measures = new Map((await page.evaluate<{ callId: string; duration: number }[]>(READ_MEASURES)).map((m) => [m.callId, m.duration]));
      const timed = calls.slice(WARM_UP_CALLS);
      const popMs = timed.flatMap((c) => (measures.has(c.callId) ? [measures.get(c.callId)!] : []));
      const endToEndMs = timed.flatMap((c) => (c.report === null ? [] : [c.report.paintedAt - c.postedAt]));
      const missing = timed.filter((c) => c.report === null || !measures.has(c.callId)).length;
      const wrongCards = timed.filter(
        (c) =>
          c.report !== null &&
          !(
            c.report.phone.endsWith(c.phone.slice(-4)) &&
            c.report.stage &&
            c.report.tier &&
            c.report.risk &&
            (c.report.offer || NO_OFFER_DECISIONS.has(c.report.decision))
          ),
      ).length;
      const withoutOffer = timed.filter((c) => c.report !== null && !c.report.offer && NO_OFFER_DECISIONS.has(c.report.decision)).length;
      const timedIds = new Set(calls.slice(WARM_UP_CALLS).map((c) => c.callId));
      const cardRequests = (await page.evaluate<{ callId: string; requestMs: number | null }[]>(READ_CARD_REQUESTS)).filter((r) => timedIds.has(r.callId));
      const requested = cardRequests.flatMap((r) => (r.requestMs === null ? [] : [r.requestMs]));
      const withEvent = cardRequests.length - requested.length;
      const requestTime = summarize(requested);
      const nextFrame = summarize(await page.evaluate<number[]>(NEXT_FRAME_MS));
      const invoke = summarize(await page.evaluate<number[]>(invokeRoundTripMs(timed.slice(0, 50).map((c) => c.phone))));
      const warnings = await desk.call('warnings', undefined);
      const browserVersion = browser.version();

      const raw = summarize(
        rawLookupMs(
          fixture.path,
          timed.map((c) => c.phone),
        ),
      );
      const pop = summarize(popMs);
      const endToEnd = summarize(endToEndMs);
      const rawBaseline = (p: 'p50' | 'p95') => ({ label: `bare SQLite lookup (keyed), same numbers, ${p}`, value: raw[p], unit: 'ms' });
      return okResult(ID, TITLE, started, {
        measurements: [
          measurement({ metric: 'p50 CTI event received → card painted', value: pop.p50, unit: 'ms', baseline: rawBaseline('p50') }),
          measurement({
            metric: 'p95 CTI event received → card painted',
            value: pop.p95,
            unit: 'ms',
            baseline: rawBaseline('p95'),
            goal: { on: 'value', atMost: GOAL_P95_MS },
          }),
          measurement({ metric: 'p95 POST /cti/calls → card painted', value: endToEnd.p95, unit: 'ms', baseline: rawBaseline('p95') }),
        ],
        notes: [
          `${pop.count} calls at random book numbers (after ${WARM_UP_CALLS} warm-up calls), ${GAP_MS} ms apart, ${fixture.rows.toLocaleString('en-US')} customers in the desk cache; Chromium ${browserVersion} headless (${CHROMIUM_PATH}); central API on ${api.driver}, desk host and central API in their own processes.`,
          `event received → painted: p50 ${pop.p50.toFixed(1)}, p95 ${pop.p95.toFixed(1)}, p99 ${pop.p99.toFixed(1)}, max ${pop.max.toFixed(1)} ms. POST /cti/calls → painted (adds the central API, its NOTIFY and two WebSocket hops): p50 ${endToEnd.p50.toFixed(1)}, p95 ${endToEnd.p95.toFixed(1)} ms.`,
          `${withEvent} of ${cardRequests.length} cards came with the call event (built by the desk as the push arrived, no request)${requested.length > 0 ? `; the other ${requested.length} waited for a card/byPhone request: p50 ${requestTime.p50.toFixed(1)} / p95 ${requestTime.p95.toFixed(1)} ms` : ''}.`,
          `floors in the same page: next painted frame from a random moment p50 ${nextFrame.p50.toFixed(1)} / p95 ${nextFrame.p95.toFixed(1)} ms; card/byPhone over the web host (HTTP + backend + JSON) p50 ${invoke.p50.toFixed(1)} / p95 ${invoke.p95.toFixed(1)} ms.`,
          `bare lookup: p50 ${(raw.p50 * 1000).toFixed(1)} µs, p95 ${(raw.p95 * 1000).toFixed(1)} µs. Checks: ${missing} calls without a measure, ${wrongCards} cards without the caller's number, stage, tier, risk and offer (or a let-go / nothing-eligible decision: ${withoutOffer} such cards); ${warnings.length} slow-handler warnings from the desk${warnings.length > 0 ? ` (${warnings.slice(0, 3).join('; ')})` : ''}.`,
        ],
      });
    } finally {
      for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(`[bench] ${ID} cleanup:`, error));
    }
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runScreenPopBench());
