// Benchmark 7, renderer half: the desk page's JS heap in Chromium while the supervisor's outcomes
// table holds 100,000 rows (GET /reports/outcomes at its cap, OUTCOME_REPORT_MAX_ROWS). Baselines,
// same browser and origin: a blank page holding the same rows as parsed JSON (nothing rendered),
// and the same desk page logged in before its report arrived. Every heap is read after forced
// GCs through CDP; the benchmark reports sizes and never asserts one.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { chromium, errors, type Browser, type Page, type Route } from 'playwright-core';
import { OUTCOME_REPORT_MAX_ROWS } from '../shared/contract/supervisor-reports';
import { DEMO_PASSWORD } from '../server/seed/demo-users';
import { seedReportBook, type ReportPeriod } from './supervisor-report';
import { forkChild } from './support/child-rpc';
import type { DeskWebChildConfig } from './support/desk-web-child';
import { buildRenderer } from './support/renderer-build';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { logInToDesk } from './support/desk-login';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/debian-chromium';

const ID = 'renderer-heap';
const TITLE = 'Renderer heap';
/**
 * The bench outcomes belong to agent01…agent05, in teams T1 and T2; sup01 sees only T1 (60 % of
 * them), so the report is read by the admin, whose desk shows the same supervisor screen for every team.
 */
const REPORT_USER = 'admin01';
const GC_PASSES = 3;
/** How long the table may take to fill with the report's rows (the desk itself gives up after 25 s). */
const TABLE_FILLED_TIMEOUT_MS = 180_000;
const REPORT_CHANNELS = '**/api/invoke/reports/**';
const ROW_COUNT = '[data-testid="report-row-count"]';
/** A same-origin address the desk host does not serve: the router answers it with an empty document. */
const BLANK_PATH = '/bench-blank-page';

interface HeapReading {
  usedMb: number;
  totalMb: number;
  domNodes: number;
  rowElements: number;
}

const mb = (bytes: number) => bytes / 1024 ** 2;
const formatMb = (reading: HeapReading) => `${reading.usedMb.toFixed(1)} MB used / ${reading.totalMb.toFixed(1)} MB allocated`;

/**
 * Full GCs, then the V8 heap and DOM counters. Both count the whole renderer process, so every
 * page measured here lives in its own browser context (its own process) and is alone in it.
 */
async function heapAfterGc(page: Page): Promise<HeapReading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let pass = 0; pass < GC_PASSES; pass++) await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters');
    const rowElements = await page.locator('[data-testid="outcome-row"]').count();
    return { usedMb: mb(heap.usedSize), totalMb: mb(heap.totalSize), domNodes: dom.nodes, rowElements };
  } finally {
    await cdp.detach();
  }
}

/**
 * CLM_HEAP_SNAPSHOT=<file>: the table's heap is also written there as a DevTools heap snapshot
 * (open it in Chromium's Memory tab to see which objects hold the memory). Off by default.
 */
const HEAP_SNAPSHOT_FILE = process.env.CLM_HEAP_SNAPSHOT;

async function writeHeapSnapshot(page: Page, file: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const out = createWriteStream(file);
  try {
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => out.write(chunk));
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    await new Promise((resolve) => out.end(resolve));
    await cdp.detach();
  }
}

/** Holds the page's report requests until released, so the desk can be measured before any report arrives. */
async function holdReportRequests(page: Page) {
  const held: Route[] = [];
  let bothHeld: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (bothHeld = resolve));
  await page.route(REPORT_CHANNELS, (route) => {
    held.push(route);
    if (held.length === 2) bothHeld(); // reports/retention and reports/outcomes, sent together
  });
  return {
    arrived,
    /** Fails the held requests (the screen shows its report error) and lets later ones through. */
    async abort() {
      for (const route of held) await route.abort();
      await page.unroute(REPORT_CHANNELS);
    },
  };
}

// Plain JS (the bench tsconfig has no DOM types).
const READ_TABLE_STATE = `({
  count: document.querySelector('${ROW_COUNT}')?.dataset.count ?? null,
  error: document.querySelector('[data-testid="report-error"]')?.textContent ?? null,
})`;

/** Applies the period on the supervisor screen and waits for the table; throws unless it holds `expectedRows`. */
async function showPeriod(page: Page, period: ReportPeriod, expectedRows: number): Promise<number> {
  await page.getByTestId('report-from').fill(period.from);
  await page.getByTestId('report-to').fill(period.to);
  await page.getByTestId('report-apply').click();
  // A locator, not waitForFunction: the desk's CSP refuses string evaluation inside the page.
  await page
    .locator(`${ROW_COUNT}[data-count="${expectedRows}"]`)
    .waitFor({ timeout: TABLE_FILLED_TIMEOUT_MS })
    .catch((error: unknown) => {
      if (!(error instanceof errors.TimeoutError)) throw error;
    });
  const state = await page.evaluate<{ count: string | null; error: string | null }>(READ_TABLE_STATE);
  const rows = Number(state.count);
  if (state.count === null || rows !== expectedRows) {
    throw new Error(
      `the outcomes table shows ${state.count ?? 'no'} rows, expected ${expectedRows}${state.error === null ? '' : ` (report error: ${state.error})`}`,
    );
  }
  return rows;
}

/** The desk logged in before its report arrived, then with the whole period in the table. */
async function measureDesk(browser: Browser, deskUrl: string, period: ReportPeriod, expectedRows: number) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const reports = await holdReportRequests(page);
    await page.goto(deskUrl);
    await logInToDesk(page, REPORT_USER, DEMO_PASSWORD);
    await reports.arrived;
    await page.getByTestId('report-filters').waitFor();
    const beforeReport = await heapAfterGc(page);
    await reports.abort();
    await page.getByTestId('report-error').waitFor();
    progress(ID, `loading ${period.from} … ${period.to} into the supervisor table`);
    const tableRows = await showPeriod(page, period, expectedRows);
    const table = await heapAfterGc(page);
    if (HEAP_SNAPSHOT_FILE !== undefined) await writeHeapSnapshot(page, HEAP_SNAPSHOT_FILE);
    return { beforeReport, table, tableRows };
  } finally {
    await context.close();
  }
}

// The renderer's own transport in browser mode: POST /api/invoke/<operation>, a DeskResult back.
// The host keeps one desk per signed-in user and answers only a browser that signed in, so the
// page first gets its browser cookie (with the host's first answer) and signs in as the report user.
const keepReportRows = (query: Pick<ReportPeriod, 'from' | 'to'>) => `(async () => {
  const invoke = async (operation, input) => {
    const response = await fetch('/api/invoke/' + operation, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const result = await response.json();
    if (!result.ok) throw new Error(operation + ': ' + result.error.code + ' ' + result.error.message);
    return result.value;
  };
  await fetch('/');
  await invoke('session/login', ${JSON.stringify({ username: REPORT_USER, password: DEMO_PASSWORD })});
  globalThis.__clmBenchRows = (await invoke('reports/outcomes', ${JSON.stringify(query)})).report.rows;
  return globalThis.__clmBenchRows.length;
})()`;

/** A blank page of the desk's origin, empty and then holding the same report rows as parsed JSON. */
async function measureDataOnly(browser: Browser, deskUrl: string, period: ReportPeriod, expectedRows: number) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const blankUrl = new URL(BLANK_PATH, deskUrl).href;
    await page.route(blankUrl, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
    await page.goto(blankUrl);
    const blank = await heapAfterGc(page);
    const rows = await page.evaluate<number>(keepReportRows({ from: period.from, to: period.to }));
    if (rows !== expectedRows) throw new Error(`the data-only page holds ${rows} rows, expected ${expectedRows}`);
    return { blank, dataOnly: await heapAfterGc(page) };
  } finally {
    await context.close();
  }
}

export async function runRendererHeapBench(): Promise<BenchResult> {
  const started = performance.now();
  const scratch = createScratchDir('renderer-heap');
  const cleanups: (() => Promise<void>)[] = [async () => scratch.remove()];
  try {
    progress(ID, 'building the renderer');
    const rendererDir = scratch.file('renderer');
    await buildRenderer(rendererDir);
    // In process: the desk host reaches it over loopback HTTP like any central API.
    const book = await seedReportBook(scratch.file('server'), ID);
    cleanups.unshift(() => book.api.close());
    const apiUrl = await book.api.app.listen({ host: '127.0.0.1', port: 0 });
    const expectedRows = Math.min(book.outcomes, OUTCOME_REPORT_MAX_ROWS);
    const desk = await forkChild<{ warnings(arg: undefined): Promise<string[]> }, { url: string }>(
      path.join(import.meta.dirname, 'support/desk-web-child.ts'),
      { cachePath: scratch.file('desk-cache.sqlite'), apiUrl, rendererDir } satisfies DeskWebChildConfig,
    );
    cleanups.unshift(() => desk.stop());
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    cleanups.unshift(() => browser.close());

    progress(ID, `desk as ${REPORT_USER}: before the report, then ${expectedRows.toLocaleString('en-US')} rows in the table`);
    const { beforeReport, table, tableRows } = await measureDesk(browser, desk.info.url, book.period, expectedRows);
    progress(ID, 'data-only page: the same rows as parsed JSON');
    const { blank, dataOnly } = await measureDataOnly(browser, desk.info.url, book.period, expectedRows);
    const warnings = await desk.call('warnings', undefined);

    const metric = `JS heap, supervisor table showing ${tableRows.toLocaleString('en-US')} rows`;
    return okResult(ID, TITLE, started, {
      measurements: [
        measurement({
          metric,
          value: table.usedMb,
          unit: 'MB',
          baseline: {
            label: `the ${expectedRows.toLocaleString('en-US')} rows as parsed JSON in a blank page, nothing rendered`,
            value: dataOnly.usedMb,
            unit: 'MB',
          },
        }),
        measurement({
          metric,
          value: table.usedMb,
          unit: 'MB',
          baseline: { label: 'the app without the report: same page, logged in, before its report arrived', value: beforeReport.usedMb, unit: 'MB' },
        }),
      ],
      notes: [
        `Chromium ${browser.version()} headless (${CHROMIUM_PATH}), 1280×800; desk host (browser mode) in its own process, central API in the benchmark's process on PGlite (file-backed), ${book.customers.toLocaleString('en-US')} customers, ${book.outcomes.toLocaleString('en-US')} outcomes ${book.period.from} … ${book.period.to} written in ${book.seedSeconds.toFixed(1)} s (INSERT … SELECT, not measured); read as ${REPORT_USER} (every team).`,
        `table: ${tableRows.toLocaleString('en-US')} rows reported by the table, ${table.rowElements} row elements rendered, ${table.domNodes.toLocaleString('en-US')} DOM nodes; heap ${formatMb(table)}.`,
        `before the report (supervisor screen mounted, its two report requests held by Playwright's router while measured, then aborted, so the default 30-day report never loads): ${beforeReport.domNodes.toLocaleString('en-US')} DOM nodes, heap ${formatMb(beforeReport)}. Data only: blank page ${formatMb(blank)}, with the rows ${formatMb(dataOnly)} (signed in as ${REPORT_USER}, then POST /api/invoke/reports/outcomes, rows kept in a global).`,
        `what the rows add: ${(table.usedMb - beforeReport.usedMb).toFixed(1)} MB on the desk (both reports, KPI tiles and charts, the table's sorted and filtered view and its rendered rows) against ${(dataOnly.usedMb - blank.usedMb).toFixed(1)} MB as parsed JSON.`,
        `GC forced ${GC_PASSES}× with CDP HeapProfiler.collectGarbage before each reading; heap = Runtime.getHeapUsage (the page's V8 isolate), DOM nodes = Memory.getDOMCounters; each page in its own browser context, so its own renderer process. ${warnings.length} slow-handler warnings from the desk${warnings.length > 0 ? ` (${warnings.slice(0, 3).join('; ')})` : ''}.`,
      ],
    });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(`[bench] ${ID} cleanup:`, error));
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runRendererHeapBench);
